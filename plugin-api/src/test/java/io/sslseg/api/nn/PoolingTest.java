package io.sslseg.api.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class PoolingTest extends NnTesting.WithManager {
    @Test
    void borderWindowsAverageOnlyTheirRealPixels() {
        // 1 2 3 / 4 5 6 / 7 8 9, 3x3 windows, stride 1, padding 1: the corner averages 1, 2, 4, 5, an edge six pixels.
        NDArray x = m.arange(1f, 10f).reshape(1, 1, 3, 3);
        float[] expected = {3, 3.5f, 4, 4.5f, 5, 5.5f, 6, 6.5f, 7};
        assertArrayEquals(expected, Pooling.avgPool2dExcludePad(x, 3, 1, 1).toFloatArray(), 1e-6f);
        NDArray ones = m.ones(new Shape(2, 3, 5, 4));
        assertArrayEquals(ones.toFloatArray(), Pooling.avgPool2dExcludePad(ones, 3, 1, 1).toFloatArray(), 1e-6f);
    }

    @Test
    void strideTwoWindows() {
        // 0..15 in 4x4; output rows/cols cover input 0-1 and 1-3.
        NDArray x = m.arange(0f, 16f).reshape(1, 1, 4, 4);
        NDArray out = Pooling.avgPool2dExcludePad(x, 3, 2, 1);
        assertEquals(new Shape(1, 1, 2, 2), out.getShape());
        assertArrayEquals(new float[] {10f / 4, 24f / 6, 51f / 6, 90f / 9}, out.toFloatArray(), 1e-5f);
    }

    @Test
    void gradientSpreadsOneOverEachWindowsCount() {
        NDArray x = m.arange(1f, 10f).reshape(1, 1, 3, 3);
        x.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            collector.backward(Pooling.avgPool2dExcludePad(x, 3, 1, 1).sum());
        }
        float[] g = x.getGradient().toFloatArray();
        // the corner lies in the windows of the corner (4 pixels), two edges (6) and the centre (9)
        assertEquals(1f / 4 + 2f / 6 + 1f / 9, g[0], 1e-6f);
        // the centre lies in all nine windows
        assertEquals(4f / 4 + 4f / 6 + 1f / 9, g[4], 1e-6f);
    }

    /** Pins the DJL 0.36 behaviour the helper exists for: a fix upstream should be noticed. */
    @Test
    void djlStillCountsThePaddingWhenAskedNotTo() {
        NDArray corner = Pool.avgPool2d(m.ones(new Shape(1, 1, 3, 3)), new Shape(3, 3), new Shape(1, 1),
                new Shape(1, 1), false, false).get("0,0,0,0");
        assertEquals(4f / 9, corner.getFloat(), 1e-6f);
    }

    @Test
    void rejectsPaddingOverHalfTheKernel() {
        NDArray square = m.ones(new Shape(1, 1, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> Pooling.avgPool2dExcludePad(square, 3, 1, 2));
        NDArray threeAxes = m.ones(new Shape(1, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> Pooling.avgPool2dExcludePad(threeAxes, 3, 1, 1));
    }
}
