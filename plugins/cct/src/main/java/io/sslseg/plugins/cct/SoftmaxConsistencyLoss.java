package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.nn.ScalarOps;
import io.sslseg.api.ssl.ConsistencyLoss;
import io.sslseg.api.ssl.ConsistencyLossFactory;

/**
 * CCT's consistency losses ({@code softmax_mse_loss}, {@code softmax_kl_loss}, {@code softmax_js_loss} in the
 * reference): a per-element term between softmax(aux logits) and the fixed target distribution, averaged over all
 * N·C·H·W elements, or, with confidence masking, summed over the pixels whose target's top probability
 * exceeds the threshold and divided as the reference divides:
 * <ul>
 *   <li>MSE: by kept pixels × C (0 if none is kept);
 *   <li>KL: by the total pixel count N·H·W (not × C, unlike the unmasked mean: the reference's quirk, kept);
 *   <li>JS: the reference ignores masking for JS ({@code **_}); sslseg defines it like MSE (kept pixels × C,
 *       0 if none), so a threshold below 1/C gives exactly the unmasked loss.
 * </ul>
 */
public final class SoftmaxConsistencyLoss implements ConsistencyLoss {
    /** The reference's epsilon inside JS's {@code log(targets + 1e-5)}. */
    private static final float JS_EPSILON = 1e-5f;

    public enum Distance {
        MSE("mse", "squared difference of softmax(aux) and the target, mean over elements (CCT's default)", true) {
            @Override
            NDArray terms(NDArray auxLogits, NDArray target) {
                return auxLogits.softmax(1).sub(target).square();
            }
        },
        KL("kl", "KL(target || softmax(aux)), mean over elements (PyTorch kl_div 'mean')", false) {
            @Override
            NDArray terms(NDArray auxLogits, NDArray target) {
                return klTerms(target, auxLogits.logSoftmax(1));
            }
        },
        JS("js", "Jensen-Shannon between softmax(aux) and the target, gradient also through the midpoint", true) {
            @Override
            NDArray terms(NDArray auxLogits, NDArray target) {
                // M = (q + t)/2; JS = ½[KL(M || q) + KL(M || t + 1e-5)], each as kl_div(log x, M)
                NDArray m = ScalarOps.mul(auxLogits.softmax(1).add(target), 0.5);
                NDArray logM = m.log();
                NDArray toAux = m.mul(logM.sub(auxLogits.logSoftmax(1)));
                NDArray toTarget = m.mul(logM.sub(target.add(JS_EPSILON).log()));
                return ScalarOps.mul(toAux.add(toTarget), 0.5);
            }
        };

        private final String configName;
        private final String summary;
        private final boolean maskedMeanPerKeptElement;

        Distance(String configName, String summary, boolean maskedMeanPerKeptElement) {
            this.configName = configName;
            this.summary = summary;
            this.maskedMeanPerKeptElement = maskedMeanPerKeptElement;
        }

        public String configName() {
            return configName;
        }

        /** The per-element term, N x C x H x W; its mean over all elements is the unmasked loss. */
        abstract NDArray terms(NDArray auxLogits, NDArray target);
    }

    /** Registers one distance; the context (class count) is not needed. */
    public static ConsistencyLossFactory<ConsistencyParams> factory(Distance distance) {
        return ConsistencyLossFactory.of(ConsistencyParams.class, ConsistencyParams.DEFAULTS,
                distance.summary + "; optional confidence masking",
                (params, numClasses) -> new SoftmaxConsistencyLoss(distance, params));
    }

    private final Distance distance;
    private final ConsistencyParams params;

    public SoftmaxConsistencyLoss(Distance distance, ConsistencyParams params) {
        this.distance = distance;
        this.params = params;
    }

    @Override
    public NDArray compute(NDArray auxLogits, NDArray targetProbs) {
        if (!auxLogits.getShape().equals(targetProbs.getShape()) || auxLogits.getShape().dimension() != 4) {
            throw new IllegalArgumentException("consistency loss needs two N x C x H x W arrays of one shape, got "
                    + auxLogits.getShape() + " and " + targetProbs.getShape());
        }
        NDArray terms = distance.terms(auxLogits, targetProbs);
        if (!params.confidenceMasking()) {
            return terms.mean();
        }
        Shape s = targetProbs.getShape();
        NDArray keep = targetProbs.max(new int[] {1}, true).gt(params.confidenceThreshold()).toType(DataType.FLOAT32, false);
        NDArray keptSum = terms.mul(keep).sum();
        if (distance.maskedMeanPerKeptElement) {
            // max(…, 1): with nothing kept the sum is 0 and so is the loss, as in the reference
            return keptSum.div(ScalarOps.maximum(ScalarOps.mul(keep.sum(), s.get(1)), 1));
        }
        return ScalarOps.div(keptSum, s.get(0) * s.get(2) * s.get(3));
    }

    /**
     * {@code target · (log target − logQ)} element-wise, with {@code 0 · log 0 = 0} as in PyTorch's kl_div: the
     * KL divergence's terms from a fixed distribution {@code target} to one given by its log {@code logQ}.
     * Shared with VAT's power iteration.
     */
    static NDArray klTerms(NDArray target, NDArray logQ) {
        // clamping only changes entries where target is (nearly) 0, whose term is then 0 anyway
        return target.mul(ScalarOps.maximum(target, Float.MIN_NORMAL).log().sub(logQ));
    }
}
