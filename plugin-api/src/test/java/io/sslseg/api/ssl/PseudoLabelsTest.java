package io.sslseg.api.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.sslseg.api.augment.Mix;
import io.sslseg.api.loss.TrainingClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pseudo-labels, confidences and the thresholded loss against values worked out by hand. */
class PseudoLabelsTest {
    private NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        m.close();
    }

    /** One image, two classes, two pixels: logits (0, ln 3) and (ln 4, 0), i.e. p = (1/4, 3/4) and (4/5, 1/5). */
    private NDArray weakLogits() {
        return m.create(new float[] {0f, (float) Math.log(4), (float) Math.log(3), 0f}, new Shape(1, 2, 1, 2));
    }

    @Test
    void labelsAreTheArgMaxAndConfidencesTheMaxProbability() {
        PseudoLabels p = PseudoLabels.fromLogits(weakLogits());
        assertArrayEquals(new long[] {1, 0}, p.labels().toLongArray());
        assertArrayEquals(new float[] {0.75f, 0.8f}, p.confidence().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0f, 1f}, p.mask(0.78).toFloatArray());
        assertArrayEquals(new float[] {1f, 1f}, p.mask(0.75).toFloatArray(), "the threshold itself passes");
        // class-wise: class 1 needs 0.7 (pixel 0 passes with 0.75), class 0 needs 0.9 (pixel 1 fails with 0.8)
        assertArrayEquals(new float[] {1f, 0f}, p.mask(new float[] {0.9f, 0.7f}).toFloatArray());
    }

    /**
     * Strong logits (0, 0) and (ln 2, 0): CE against labels (1, 0) is ln 2 and ln(3/2). With only pixel 1 kept the
     * loss is ln(3/2) / 2 (divided by all pixels); its gradient on pixel 1's logits is (p - onehot) / 2 =
     * (2/3 - 1, 1/3) / 2, and pixel 0 gets none.
     */
    @Test
    void thresholdedCrossEntropySumsKeptPixelsOverAllPixels() {
        PseudoLabels p = PseudoLabels.fromLogits(weakLogits());
        NDArray strong = m.create(new float[] {0f, (float) Math.log(2), 0f, 0f}, new Shape(1, 2, 1, 2));
        strong.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray loss = p.thresholdedCrossEntropy(strong, p.mask(0.78));
            assertEquals(Math.log(1.5) / 2, loss.getFloat(), 1e-6);
            gc.backward(loss);
        }
        float[] g = strong.getGradient().toFloatArray(); // layout: class 0 (px0, px1), class 1 (px0, px1)
        assertArrayEquals(new float[] {0f, (2f / 3 - 1) / 2, 0f, (1f / 3) / 2}, g, 1e-6f);
    }

    @Test
    void labelsAndConfidencesAreMixedLikeThePixels() {
        NDArray logits = m.create(new float[] {5f, 5f, 0f, 0f, 0f, 0f, 5f, 5f}, new Shape(2, 2, 1, 2));
        PseudoLabels p = PseudoLabels.fromLogits(logits); // image 0: class 0 everywhere, image 1: class 1
        Mix mix = new Mix(2, 1, 2, new int[] {1, 0}, new byte[] {0, 1, 1, 1});
        PseudoLabels mixed = p.mixed(mix);
        assertArrayEquals(new long[] {0, 1, 0, 0}, mixed.labels().toLongArray());
        assertArrayEquals(p.confidence().toFloatArray(), mixed.confidence().toFloatArray(), 1e-6f);
    }

    @Test
    void rampedWeightIsZeroBeforeTheWindowAndFullAfterIt() {
        assertEquals(0.0, Ramps.weightAt(2.0, "linear", 0.1, 0.3, new TrainingClock(9, 100)));
        assertEquals(0.0, Ramps.weightAt(2.0, "linear", 0.1, 0.3, new TrainingClock(10, 100)));
        assertEquals(1.0, Ramps.weightAt(2.0, "linear", 0.1, 0.3, new TrainingClock(20, 100)), 1e-12);
        assertEquals(2.0, Ramps.weightAt(2.0, "linear", 0.1, 0.3, new TrainingClock(30, 100)));
        assertEquals(2.0, Ramps.weightAt(2.0, "linear", 0.0, 0.0, new TrainingClock(0, 100)), "no window: at once");
    }
}
