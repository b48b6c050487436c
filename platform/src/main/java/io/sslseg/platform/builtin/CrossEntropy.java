package io.sslseg.platform.builtin;

import ai.djl.ndarray.NDArray;
import io.sslseg.api.loss.PixelLabels;
import io.sslseg.api.loss.SupervisedLoss;
import io.sslseg.api.loss.SupervisedLossFactory;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.api.nn.ScalarOps;

/**
 * Mean cross-entropy over the pixels not labelled 255, on logits / temperature (the reference's "CE").
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
                (params, context) -> new CrossEntropy(params.temperature()));
    }

    private final double temperature;

    public CrossEntropy(double temperature) {
        this.temperature = temperature;
    }

    @Override
    public NDArray compute(NDArray logits, NDArray labels, TrainingClock clock) {
        return PixelLabels.crossEntropy(temperature == 1.0 ? logits : ScalarOps.div(logits, temperature), labels);
    }
}
