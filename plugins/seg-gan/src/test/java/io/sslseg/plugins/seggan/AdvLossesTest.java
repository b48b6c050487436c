package io.sslseg.plugins.seggan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.loss.PixelLabels;
import org.junit.jupiter.api.Test;

/** The pixel losses on hand-made maps, against values worked out by hand (python's math module). */
class AdvLossesTest {

    /**
     * Logits -2, 0, 1, 30, -200 with the second pixel masked. Target 1: softplus(-x) = 2.126928, (0.693147),
     * 0.313262, 9.4e-14, 200 (a naive log(sigmoid(-200)) is -inf in float32); mean of the four kept 50.610047.
     * Target 0: softplus(x) = 0.126928, (1.313262 for x = 1), 30, ~0: mean 7.860047. Unmasked, target 1: 40.626667.
     */
    @Test
    void maskedBceWithLogitsMatchesHandValuesAndIsStable() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = m.create(new float[] {-2, 0, 1, 30, -200}, new Shape(1, 1, 1, 5));
            NDArray mask = m.create(new float[] {1, 0, 1, 1, 1}, new Shape(1, 1, 5));
            assertEquals(50.61004742464032, AdvLosses.bceWithLogits(x, 1f, mask).getFloat(), 1e-4);
            assertEquals(7.860047424640322, AdvLosses.bceWithLogits(x, 0f, mask).getFloat(), 1e-5);
            assertEquals(40.62666737582425, AdvLosses.bceWithLogits(x, 1f, null).getFloat(), 1e-4);
            // a mask with the logits' own shape works too; nothing scored gives 0, as the reference's loss does
            assertEquals(7.860047424640322, AdvLosses.bceWithLogits(x, 0f, mask.expandDims(1)).getFloat(), 1e-5);
            assertEquals(0.0, AdvLosses.bceWithLogits(x, 1f, m.zeros(new Shape(1, 1, 5))).getFloat(), 0.0);
            assertEquals(DataType.FLOAT32, AdvLosses.bceWithLogits(x, 1f, mask).getDataType());
        }
    }

    /** Labels [[0, 255], [2, 1]] with 3 classes: the 255 pixel is all zero in every channel. */
    @Test
    void oneHotZeroesTheIgnoredPixels() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray labels = m.create(new long[] {0, 255, 2, 1}, new Shape(1, 2, 2));
            NDArray oh = PixelLabels.oneHot(labels, 3);
            assertEquals(new Shape(1, 3, 2, 2), oh.getShape());
            assertEquals(DataType.FLOAT32, oh.getDataType());
            assertArrayEquals(new float[] {
                1, 0, 0, 0,   // class 0
                0, 0, 0, 1,   // class 1
                0, 0, 1, 0},  // class 2
                    oh.toFloatArray(), 0f);
        }
    }

    /**
     * Four pixels, logits per pixel [2,0,0], [0,1,3], [1,4,0], [0,0,5] (argmax 0, 2, 1, 2); D's logits 0, -2.2, 1, -3,
     * so sigmoid = 0.5, 0.10, 0.73, 0.047: with maskT 0.2 pixels 0 and 2 are kept (ratio 0.5), pseudo-labels
     * [0, 255, 1, 255], and CE = mean(log(1 + 2e^-2), log(1 + e^-3 + e^-4)) = mean(0.239545, 0.065884) = 0.152714.
     */
    @Test
    void confidenceMaskKeepsKnownPixelsAndGivesTheHandCe() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            // N x C x H x W = 1 x 3 x 1 x 4, channel-major
            NDArray logits = m.create(new float[] {
                2, 0, 1, 0,
                0, 1, 4, 0,
                0, 3, 0, 5}, new Shape(1, 3, 1, 4));
            NDArray d = m.create(new float[] {0f, -2.2f, 1f, -3f}, new Shape(1, 1, 1, 4));
            AdvLosses.SelfTraining st = AdvLosses.selfTrainingTargets(logits, d, 0.2);
            assertEquals(0.5, st.ratio(), 0.0);
            assertArrayEquals(new long[] {0, 255, 1, 255}, st.labels().toLongArray());
            assertArrayEquals(new float[] {1, 0, 1, 0}, st.kept().toFloatArray(), 0f);
            assertEquals(0.1527143349896568, PixelLabels.crossEntropy(logits, st.labels()).getFloat(), 1e-6);
            // maskT 0 keeps everything (CE on all four argmaxes), maskT 1 nothing (ratio 0, CE 0)
            assertEquals(1.0, AdvLosses.selfTrainingTargets(logits, d, 0.0).ratio(), 0.0);
            AdvLosses.SelfTraining none = AdvLosses.selfTrainingTargets(logits, d, 1.0);
            assertEquals(0.0, none.ratio(), 0.0);
            assertEquals(0.0, PixelLabels.crossEntropy(logits, none.labels()).getFloat(), 0.0);
        }
    }
}
