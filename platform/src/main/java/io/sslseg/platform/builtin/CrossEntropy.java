package io.sslseg.platform.builtin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.loss.SupervisedLoss;
import io.sslseg.api.loss.SupervisedLossFactory;
import io.sslseg.api.loss.TrainingClock;

/**
 * Mean cross-entropy over the pixels not labelled 255, on logits / temperature (the reference's "CE").
 * DJL's built-in softmax loss has no ignore index, hence this.
 */
public final class CrossEntropy implements SupervisedLoss {

    /** @param temperature the reference's softmax_temp */
    public record Params(double temperature) {
        public Params {
            if (!(temperature > 0)) {
                throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
            }
        }
    }

    public static SupervisedLossFactory<Params> factory() {
        return SupervisedLossFactory.of(Params.class, new Params(1.0), "cross-entropy over labelled pixels, 255 ignored",
                (params, context) -> new CrossEntropy(params.temperature(), context.numClasses()));
    }

    private final double temperature;
    private final int numClasses;

    public CrossEntropy(double temperature, int numClasses) {
        this.temperature = temperature;
        this.numClasses = numClasses;
    }

    @Override
    public NDArray compute(NDArray logits, NDArray labels, TrainingClock clock) {
        NDArray scaled = temperature == 1.0 ? logits : logits.div(temperature);
        NDArray logp = scaled.logSoftmax(1);
        NDArray valid = labels.neq(LabelMask.IGNORE);
        // one-hot of 255 fails, so ignored pixels are mapped to class 0 and masked out afterwards
        NDArray safe = labels.mul(valid.toType(labels.getDataType(), false));
        NDArray oneHot = safe.oneHot(numClasses).transpose(0, 3, 1, 2);
        NDArray nll = logp.mul(oneHot).sum(new int[] {1}).neg();
        NDArray validF = valid.toType(DataType.FLOAT32, false);
        NDArray count = validF.sum().maximum(1f);
        return nll.mul(validF).sum().div(count);
    }
}
