package io.sslseg.plugins.cct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.data.SplitMix64;
import org.junit.jupiter.api.Test;

/** Dropout, feature noise and feature drop: expected fractions, scales, sharing and exact masks. */
class FeaturePerturbationsTest {

    private static NDArray uniformFeatures(NDManager m, long seed, double low, double high, long... shape) {
        return SeededArrays.uniform(m, new SplitMix64(seed), new Shape(shape), low, high);
    }

    @Test
    void spatialDropoutZeroesAboutHalfTheChannelMapsAndDoublesTheRest() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            int n = 8, d = 256, hw = 4;
            NDArray z = m.ones(new Shape(n, d, 2, 2));
            NDArray out = new FeatureDropout(FeatureDropout.Params.DEFAULTS).apply(z, TestContexts.fixed(null, 42));
            assertSame(z.getManager(), out.getManager());
            float[] v = out.toFloatArray();
            int kept = 0;
            for (int map = 0; map < n * d; map++) {
                float first = v[map * hw];
                assertTrue(first == 0f || first == 2f, "survivors are scaled by 1/(1-0.5): " + first);
                for (int k = 1; k < hw; k++) {
                    assertEquals(first, v[map * hw + k], "a whole channel map is kept or dropped");
                }
                kept += first != 0 ? 1 : 0;
            }
            // Binomial(2048, 0.5): sd 22.6; 5 sd
            assertEquals(1024, kept, 114, "kept channel maps");
        }
    }

    @Test
    void elementWiseDropoutKeepsTheExpectedFraction() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray z = m.ones(new Shape(4, 64, 8, 8)); // 16384 elements
            float[] v = new FeatureDropout(new FeatureDropout.Params(0.25, false)).apply(z, TestContexts.fixed(null, 7))
                    .toFloatArray();
            int kept = 0, mixedMaps = 0;
            for (int map = 0; map < 4 * 64; map++) {
                int inMap = 0;
                for (int k = 0; k < 64; k++) {
                    float x = v[map * 64 + k];
                    assertTrue(x == 0f || Math.abs(x - 4f / 3f) < 1e-6, "survivors are scaled by 1/(1-0.25): " + x);
                    inMap += x != 0 ? 1 : 0;
                }
                kept += inMap;
                mixedMaps += inMap > 0 && inMap < 64 ? 1 : 0;
            }
            // Binomial(16384, 0.75): sd 55.4; 5 sd
            assertEquals(12288, kept, 277, "kept elements");
            assertTrue(mixedMaps > 200, "elements, not channel maps, are dropped");
        }
    }

    @Test
    void dropoutDependsOnlyOnTheSeed() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray z = m.ones(new Shape(2, 32, 2, 2));
            FeatureDropout dropout = new FeatureDropout(FeatureDropout.Params.DEFAULTS);
            float[] a = dropout.apply(z, TestContexts.fixed(null, 5)).toFloatArray();
            assertArrayEquals(a, dropout.apply(z, TestContexts.fixed(null, 5)).toFloatArray());
            assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(dropout.apply(z, TestContexts.fixed(null, 6)).toFloatArray()));
        }
    }

    @Test
    void featureNoiseIsMultiplicativeWithinThirtyPercentAndSharedByTheBatch() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            int n = 3, per = 16 * 6 * 6;
            NDArray z = uniformFeatures(m, 1, 1, 2, n, 16, 6, 6); // away from 0, so out / z is the factor
            float[] zv = z.toFloatArray();
            float[] out = new FeatureNoise(FeatureNoise.Params.DEFAULTS).apply(z, TestContexts.fixed(null, 9)).toFloatArray();
            double min = 1, max = 1, sum = 0;
            for (int i = 0; i < per; i++) {
                double factor = out[i] / zv[i];
                for (int b = 1; b < n; b++) {
                    assertEquals(factor, out[b * per + i] / zv[b * per + i], 1e-6, "the same noise for every sample");
                }
                min = Math.min(min, factor);
                max = Math.max(max, factor);
                sum += factor - 1;
            }
            assertTrue(min >= 0.7 - 1e-6 && max <= 1.3 + 1e-6, "factor 1 + U(-0.3, 0.3): " + min + ".." + max);
            assertTrue(min < 0.72 && max > 1.28, "the whole range is used: " + min + ".." + max);
            assertEquals(0, sum / per, 0.03, "zero-mean noise"); // sd of the mean: 0.173 / sqrt(576) = 0.007
        }
    }

    @Test
    void featureDropRemovesExactlyThePositionsAboveGammaTimesTheSamplesPeak() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            int n = 2, d = 3, hw = 25;
            NDArray z = uniformFeatures(m, 2, -1, 3, n, d, 5, 5);
            float[] zv = z.toFloatArray();
            long seed = 11;
            FeatureDrop drop = new FeatureDrop(FeatureDrop.Params.DEFAULTS);
            double gamma = drop.gamma(seed);
            assertTrue(gamma >= 0.7 && gamma < 0.9);
            float[] out = drop.apply(z, TestContexts.fixed(null, seed)).toFloatArray();
            int dropped = 0;
            for (int b = 0; b < n; b++) {
                float[] a = new float[hw];
                float peak = -Float.MAX_VALUE;
                for (int p = 0; p < hw; p++) {
                    for (int c = 0; c < d; c++) {
                        a[p] += zv[(b * d + c) * hw + p] / d;
                    }
                    peak = Math.max(peak, a[p]);
                }
                float threshold = (float) (peak * gamma);
                for (int p = 0; p < hw; p++) {
                    boolean keep = a[p] < threshold;
                    if (Math.abs(a[p] - threshold) < 1e-5) {
                        continue; // too close to call in float
                    }
                    dropped += keep ? 0 : 1;
                    for (int c = 0; c < d; c++) {
                        int i = (b * d + c) * hw + p;
                        assertEquals(keep ? zv[i] : 0f, out[i], "sample " + b + " position " + p + " channel " + c);
                    }
                }
            }
            assertTrue(dropped >= n, "at least each sample's peak is dropped");
            assertTrue(dropped < n * hw / 2, "only the strongest positions are dropped: " + dropped);
        }
    }
}
