package io.sslseg.api.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class DropPathTest extends NnTesting.WithManager {
    @Test
    void inferenceAndRateZeroAreTheIdentity() {
        NDArray x = m.randomNormal(new Shape(4, 3, 2, 2));
        assertSame(x, DropPath.drop(x, 0.5f, false));
        assertSame(x, DropPath.drop(x, 0f, true));
        assertEquals(x, NnTesting.run(m, new DropPath(0.5f), false, x));
    }

    @Test
    void trainingZeroesWholeSamplesAndScalesTheSurvivors() {
        int n = 2000;
        float rate = 0.25f;
        NDArray out = DropPath.drop(m.ones(new Shape(n, 3, 2, 2)), rate, true);
        float[] v = out.toFloatArray();
        int dropped = 0;
        for (int i = 0; i < n; i++) {
            float first = v[i * 12];
            assertTrue(first == 0f || Math.abs(first - 1f / (1f - rate)) < 1e-6f, "sample " + i + ": " + first);
            for (int k = 1; k < 12; k++) {
                assertEquals(first, v[i * 12 + k], "one draw per sample");
            }
            dropped += first == 0f ? 1 : 0;
        }
        // Binomial(2000, 0.25): std 0.0097, so +-0.05 is five of them.
        assertEquals(rate, dropped / (float) n, 0.05f);
    }

    @Test
    void drawsFromTheEngineRandomGenerator() {
        Shape shape = new Shape(64, 1, 1, 1);
        Engine.getEngine("PyTorch").setRandomSeed(7);
        float[] a = DropPath.drop(m.ones(shape), 0.5f, true).toFloatArray();
        Engine.getEngine("PyTorch").setRandomSeed(7);
        float[] b = DropPath.drop(m.ones(shape), 0.5f, true).toFloatArray();
        assertArrayEquals(a, b);
    }

    @Test
    void theGradientIsTheSameMaskAndScale() {
        NDArray x = m.arange(1f, 1f + 8 * 2).reshape(8, 2, 1, 1);
        x.setRequiresGradient(true);
        NDArray out;
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            out = DropPath.drop(x, 0.5f, true);
            collector.backward(out.sum());
        }
        float[] y = out.toFloatArray(), xs = x.toFloatArray(), g = x.getGradient().toFloatArray();
        for (int i = 0; i < y.length; i++) {
            assertEquals(y[i] / xs[i], g[i], 1e-6f, "d out / d x at " + i);
            assertTrue(g[i] == 0f || g[i] == 2f, "mask / (1 - 0.5) at " + i + ": " + g[i]);
        }
    }

    @Test
    void linearRatesGrowFromZeroToTheMaximumOverAllBlocks() {
        assertArrayEquals(new float[] {0f, 0.025f, 0.05f, 0.075f, 0.1f}, DropPath.linearRates(0.1f, 5), 1e-7f);
        assertArrayEquals(new float[] {0f}, DropPath.linearRates(0.3f, 1));
    }

    @Test
    void rejectsRatesOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> new DropPath(1f));
        assertThrows(IllegalArgumentException.class, () -> new DropPath(-0.1f));
        assertThrows(IllegalArgumentException.class, () -> DropPath.linearRates(Float.NaN, 3));
    }
}
