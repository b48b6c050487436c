package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.ssl.PerturbationContext;
import java.util.function.UnaryOperator;

/** Perturbation contexts for tests. */
final class TestContexts {
    private TestContexts() {}

    /** A main prediction and a seed, for the perturbations that use no decoder. */
    static PerturbationContext fixed(NDArray mainLogits, long seed) {
        return new PerturbationContext() {
            @Override
            public NDArray mainLogits() {
                return mainLogits;
            }

            @Override
            public NDArray decode(NDArray z) {
                throw new UnsupportedOperationException("no decoder in this test");
            }

            @Override
            public NDArray inputGradient(NDArray input, UnaryOperator<NDArray> lossOfLogits) {
                throw new UnsupportedOperationException("no decoder in this test");
            }

            @Override
            public long seed() {
                return seed;
            }
        };
    }

    /**
     * A linear decoder, a 1x1 conv without bias with weights W (C x D), run inside the test's one gradient
     * collector; inputGradient freezes the conv, backpropagates to the detached input and unfreezes it, as
     * the training step does.
     */
    static final class LinearDecoder implements PerturbationContext {
        final Conv2d conv;
        private final ParameterStore store;
        private final GradientCollector collector;
        private final long seed;

        LinearDecoder(NDManager manager, float[][] weights, GradientCollector collector, long seed) {
            int classes = weights.length, channels = weights[0].length;
            conv = Layers.conv2d(classes, 1, 1, 1, false);
            conv.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 1, 1));
            float[] flat = new float[classes * channels];
            for (int c = 0; c < classes; c++) {
                System.arraycopy(weights[c], 0, flat, c * channels, channels);
            }
            weight().set(flat);
            this.store = new ParameterStore(manager, false);
            this.collector = collector;
            this.seed = seed;
        }

        NDArray weight() {
            return conv.getParameters().get("weight").getArray();
        }

        @Override
        public NDArray mainLogits() {
            throw new UnsupportedOperationException("VAT does not use the main prediction");
        }

        @Override
        public NDArray decode(NDArray z) {
            return conv.forward(store, new NDList(z), true).singletonOrThrow();
        }

        @Override
        public NDArray inputGradient(NDArray input, UnaryOperator<NDArray> lossOfLogits) {
            conv.freezeParameters(true);
            try {
                input.setRequiresGradient(true);
                collector.backward(lossOfLogits.apply(decode(input)));
                return input.getGradient().duplicate();
            } finally {
                conv.freezeParameters(false); // no BN here, so unfreezing everything restores the flags
            }
        }

        @Override
        public long seed() {
            return seed;
        }
    }
}
