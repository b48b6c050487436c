package io.sslseg.api.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** {@link GroupNorm} and {@link ChannelLayerNorm} against statistics worked out by hand. */
class NormalizationTest extends NnTesting.WithManager {
    private static float norm(float x, double mean, double variance, double eps) {
        return (float) ((x - mean) / Math.sqrt(variance + eps));
    }

    @Test
    void oneGroupNormalisesEachSampleOverChannelsAndPixelsThenAppliesAPerChannelAffine() {
        // sample 0: channel 0 = 1, 2; channel 1 = 3, 4   -> mean 2.5, variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25
        // sample 1: channel 0 = 0, 0; channel 1 = 0, 8   -> mean 2,   variance (4 + 4 + 4 + 36) / 4 = 12
        NDArray x = m.create(new float[] {1, 2, 3, 4, 0, 0, 0, 8}, new Shape(2, 2, 1, 2));
        GroupNorm gn = GroupNorm.oneGroup();
        gn.setInitializer(NnTesting.values(2f, 0.5f), "weight");
        gn.setInitializer(NnTesting.values(1f, -1f), "bias");
        NDArray out = NnTesting.forwardBackwardSum(m, gn, x);

        double eps = 1e-5;
        float[] n0 = {
            norm(1, 2.5, 1.25, eps), norm(2, 2.5, 1.25, eps), norm(3, 2.5, 1.25, eps), norm(4, 2.5, 1.25, eps),
        };
        float[] n1 = {norm(0, 2, 12, eps), norm(0, 2, 12, eps), norm(0, 2, 12, eps), norm(8, 2, 12, eps)};
        float[] expected = {
            2 * n0[0] + 1, 2 * n0[1] + 1, 0.5f * n0[2] - 1, 0.5f * n0[3] - 1,
            2 * n1[0] + 1, 2 * n1[1] + 1, 0.5f * n1[2] - 1, 0.5f * n1[3] - 1,
        };
        assertArrayEquals(expected, out.toFloatArray(), 1e-5f);
        assertEquals(new Shape(1, 2, 1, 1), NnTesting.parameter(gn, "weight").getShape());
        // d sum / d weight_c: the normalised values of channel c over both samples; d sum / d bias_c: their count.
        assertArrayEquals(new float[] {n0[0] + n0[1] + n1[0] + n1[1], n0[2] + n0[3] + n1[2] + n1[3]},
                NnTesting.gradient(gn, "weight"), 1e-5f);
        assertArrayEquals(new float[] {4, 4}, NnTesting.gradient(gn, "bias"));
    }

    @Test
    void twoGroupsNormaliseTheirOwnChannels() {
        // group 0 = channels 0, 1: 1, 3 (mean 2, variance 1); group 1 = channels 2, 3: 10, 14 (mean 12, variance 4)
        NDArray x = m.create(new float[] {1, 3, 10, 14}, new Shape(1, 4, 1, 1));
        float[] expected = {norm(1, 2, 1, 1e-5), norm(3, 2, 1, 1e-5), norm(10, 12, 4, 1e-5), norm(14, 12, 4, 1e-5)};
        assertArrayEquals(expected, NnTesting.run(m, new GroupNorm(2, 1e-5f), false, x).toFloatArray(), 1e-5f);
        assertThrows(IllegalArgumentException.class,
                () -> new GroupNorm(3, 1e-5f).initialize(m, DataType.FLOAT32, new Shape(1, 4, 1, 1)));
    }

    @Test
    void channelLayerNormNormalisesEachPixelOverItsChannels() {
        // pixel 0: channels 1, 2, 6 -> mean 3, variance (4 + 1 + 9) / 3 = 14/3
        // pixel 1: channels 0, 0, 3 -> mean 1, variance (1 + 1 + 4) / 3 = 2
        NDArray x = m.create(new float[] {1, 0, 2, 0, 6, 3}, new Shape(1, 3, 1, 2));
        ChannelLayerNorm ln = ChannelLayerNorm.convNext();
        ln.setInitializer(NnTesting.values(1f, 2f, 3f), "gamma");
        ln.setInitializer(NnTesting.values(0f, 1f, -1f), "beta");
        NDArray out = NnTesting.forwardBackwardSum(m, ln, x);

        double eps = 1e-6, v0 = 14.0 / 3;
        float[] p0 = {norm(1, 3, v0, eps), norm(2, 3, v0, eps), norm(6, 3, v0, eps)};
        float[] p1 = {norm(0, 1, 2, eps), norm(0, 1, 2, eps), norm(3, 1, 2, eps)};
        float[] expected = {p0[0], p1[0], 2 * p0[1] + 1, 2 * p1[1] + 1, 3 * p0[2] - 1, 3 * p1[2] - 1};
        assertEquals(new Shape(1, 3, 1, 2), out.getShape());
        assertArrayEquals(expected, out.toFloatArray(), 1e-5f);
        assertArrayEquals(new float[] {p0[0] + p1[0], p0[1] + p1[1], p0[2] + p1[2]},
                NnTesting.gradient(ln, "gamma"), 1e-5f);
        assertArrayEquals(new float[] {2, 2, 2}, NnTesting.gradient(ln, "beta"));
        assertEquals(new Shape(3), NnTesting.parameter(ln, "gamma").getShape());
    }

    @Test
    void channelLayerNormTakesOtherRanksToo() {
        // N x C x L: each of the 2 positions over its 2 channels -> -1, +1 (variance 1 and 0.25)
        NDArray x = m.create(new float[] {0, 5, 2, 6}, new Shape(1, 2, 2));
        float[] expected = {
            norm(0, 1, 1, 1e-6), norm(5, 5.5, 0.25, 1e-6), norm(2, 1, 1, 1e-6), norm(6, 5.5, 0.25, 1e-6),
        };
        assertArrayEquals(expected, NnTesting.run(m, ChannelLayerNorm.convNext(), false, x).toFloatArray(), 1e-5f);
    }
}
