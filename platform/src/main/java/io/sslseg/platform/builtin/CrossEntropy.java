package io.sslseg.platform.builtin;

import ai.djl.ndarray.NDArray;
import io.sslseg.api.loss.PixelLabels;
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
        NDArray nll = scaled.logSoftmax(1).mul(PixelLabels.oneHot(labels, numClasses)).sum(new int[] {1}).neg();
        NDArray count = PixelLabels.valid(labels).sum().maximum(1f);
        return nll.sum().div(count);
    }
}
