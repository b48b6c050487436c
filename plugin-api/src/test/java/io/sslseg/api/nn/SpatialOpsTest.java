package io.sslseg.api.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class SpatialOpsTest extends NnTesting.WithManager {
    /** 0, 1, 2, ... in the given shape. */
    private NDArray ramp(long... shape) {
        return m.arange(0f, new Shape(shape).size()).reshape(shape);
    }

    @Test
    void pixelShuffleSendsChannelCrrPlusIrPlusJToPixelRhPlusIRwPlusJ() {
        int r = 2, c = 3, h = 2, w = 5;
        NDArray in = ramp(1, (long) c * r * r, h, w);
        NDArray out = SpatialOps.pixelShuffle(in, r);
        assertEquals(new Shape(1, c, h * r, w * r), out.getShape());
        float[] x = in.toFloatArray(), y = out.toFloatArray();
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < r; j++) {
                    for (int hh = 0; hh < h; hh++) {
                        for (int ww = 0; ww < w; ww++) {
                            float expected = x[((ch * r * r + i * r + j) * h + hh) * w + ww];
                            assertEquals(expected, y[(ch * h * r + r * hh + i) * w * r + r * ww + j]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void pixelShuffleNeedsAMultipleOfRSquaredChannels() {
        assertThrows(IllegalArgumentException.class, () -> SpatialOps.pixelShuffle(ramp(1, 6, 2, 2), 2));
    }

    @Test
    void adaptivePoolingUsesPyTorchBinEdgesOnFiveByFive() {
        // value = 5 row + col; bins of 5 into 3: rows {0,1}, {1,2,3}, {3,4}, means 0.5, 2, 3.5.
        NDArray out = SpatialOps.adaptiveAvgPool2d(ramp(1, 1, 5, 5), 3, 3);
        assertArrayEquals(new float[] {3, 4.5f, 6, 10.5f, 12, 13.5f, 18, 19.5f, 21}, out.toFloatArray(), 1e-5f);
    }

    @Test
    void adaptivePoolingOverlapsBinsOnSevenBySevenIntoSix() {
        // bins of 7 into 6: {0,1}, {1,2}, {2,3}, {3,4}, {4,5}, {5,6}; value = 7 row + col.
        NDArray out = SpatialOps.adaptiveAvgPool2d(ramp(2, 3, 7, 7), 6, 6);
        assertEquals(new Shape(2, 3, 6, 6), out.getShape());
        float[] y = out.toFloatArray();
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(7 * (i + 0.5f) + j + 0.5f, y[i * 6 + j], 1e-4f, "cell " + i + "," + j);
            }
        }
        // channel 1 of image 0 is channel 0 shifted by 49
        assertEquals(y[0] + 49, y[36], 1e-4f);
        assertArrayEquals(new float[] {24}, SpatialOps.adaptiveAvgPool2d(ramp(1, 1, 7, 7), 1, 1).toFloatArray(), 1e-5f);
    }

    @Test
    void bilinearMatchesPyTorchWhenGrowingAndWhenShrinking() {
        // F.interpolate(ramp, size, mode='bilinear', align_corners=False) in PyTorch gives these values.
        assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1.25f, 1.75f, 2.25f, 2.75f, 3},
                SpatialOps.resizeBilinear(ramp(1, 1, 1, 4), 1, 8).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0.5f, 2.5f, 4.5f, 6.5f},
                SpatialOps.resizeBilinear(ramp(1, 1, 1, 8), 1, 4).toFloatArray(), 1e-6f);
        // 3 -> 5: src = 0.6 i - 0.2, clamped at 0
        assertArrayEquals(new float[] {0, 0.4f, 1, 1.6f, 2},
                SpatialOps.resizeBilinear(ramp(1, 1, 3, 1), 5, 1).toFloatArray(), 1e-6f);
    }

    /** The engine's bilinear mode code ({@code Image.Interpolation.BILINEAR.ordinal()}). */
    private static NDArray engineResize(NDArray x, int h, int w) {
        return x.getNDArrayInternal().interpolation(new long[] {h, w}, 1, false);
    }

    @Test
    void matricesAgreeWithTheEngineWhereTheEngineIsRight() {
        NDArray x = m.randomNormal(new Shape(2, 3, 5, 7));
        NDArray diff = SpatialOps.resizeBilinear(x, 9, 16).sub(engineResize(x, 9, 16));
        assertEquals(0f, diff.abs().max().getFloat(), 1e-5f);
    }

    /**
     * Pins the DJL 0.36 engine behaviours that made {@link SpatialOps#resizeBilinear} use matrices: it
     * antialiases when shrinking, and with width 1 it repeats the first row. If this fails after an
     * upgrade, the engine path may be usable again.
     */
    @Test
    void engineInterpolationIsStillWrongInTheseCases() {
        assertEquals(0.714f, engineResize(ramp(1, 1, 1, 8), 1, 4).toFloatArray()[0], 1e-3f);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0}, engineResize(ramp(1, 1, 3, 1), 5, 1).toFloatArray());
    }

    @Test
    void gradientsFlowThroughEveryOp() {
        NDArray x = m.randomNormal(new Shape(2, 8, 7, 7));
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray y = SpatialOps.pixelShuffle(x, 2);                  // 2 x 2 x 14 x 14
            NDArray pooled = SpatialOps.adaptiveAvgPool2d(y, 6, 6);     // rows of the matrix sum to 1
            NDArray shrunk = SpatialOps.resizeBilinear(pooled, 3, 3);
            NDArray grown = SpatialOps.resizeBilinear(shrunk, 12, 12);
            gc.backward(grown.sum());
        }
        // every op is a weighted average (weights summing to 1) per output, so d(sum)/dx sums to #outputs
        assertEquals(2 * 2 * 12 * 12, x.getGradient().sum().getFloat(), 1e-2f);
    }
    /** The channels-last resize and layout change give resizeBilinear's values and gradients, growing or shrinking. */
    @Test
    void channelsLastResizeMatchesTheMatrixResizeInValuesAndGradients() {
        for (int[] size : new int[][] {{14, 10}, {3, 5}}) {
            NDArray a = m.randomNormal(new Shape(2, 3, 7, 5));
            NDArray b = a.duplicate();
            NDArray weights = m.randomNormal(new Shape(2, 3, size[0], size[1]));
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray plain = SpatialOps.resizeBilinear(a, size[0], size[1]);
                NDArray last = SpatialOps.resizeBilinearChannelsLast(SpatialOps.channelsLast(b), size[0], size[1]);
                assertEquals(plain.getShape(), last.getShape());
                assertArrayEquals(plain.toFloatArray(), last.toFloatArray(), 1e-5f);
                // twice: the second call on an array that already is channels-last must change nothing either
                NDArray again = SpatialOps.channelsLast(last);
                assertArrayEquals(last.toFloatArray(), again.toFloatArray());
                gc.backward(plain.mul(weights).sum().add(again.mul(weights).sum()));
            }
            assertArrayEquals(a.getGradient().toFloatArray(), b.getGradient().toFloatArray(), 1e-5f);
        }
    }
}
