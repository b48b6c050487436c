package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.data.SplitMix64;

/**
 * Random arrays drawn in Java from a {@link SplitMix64} and uploaded, so a perturbation's draws depend only on
 * its context's seed: the engine's generator is global (one seed per process), would tie the draws to
 * whatever ran before, and differs between CPU and GPU.
 */
final class SeededArrays {
    private SeededArrays() {}

    /** Uniform in [low, high) (as float32), in {@code manager}. */
    static NDArray uniform(NDManager manager, SplitMix64 rng, Shape shape, double low, double high) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) rng.nextDouble(low, high);
        }
        return manager.create(values, shape);
    }

    /** Each element {@code scale} with probability {@code p}, else 0, in {@code manager}. */
    static NDArray bernoulli(NDManager manager, SplitMix64 rng, Shape shape, double p, float scale) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextDouble() < p ? scale : 0f;
        }
        return manager.create(values, shape);
    }
}
