package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
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
}
