package io.sslseg.api.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class MixTest {
    /** Sample 0 takes its right column from sample 1, sample 1 keeps itself. */
    private static final Mix MIX = new Mix(2, 1, 2, new int[] {1, 1}, new byte[] {0, 1, 0, 0});

    @Test
    void imagesTakeThePartnersPixelsInsideTheRegionInEveryChannel() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // 2 x 2 channels x 1 x 2: sample 0 = (1 2 | 3 4), sample 1 = (5 6 | 7 8)
            NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(2, 2, 1, 2));
            assertArrayEquals(new float[] {1, 6, 3, 8, 5, 6, 7, 8}, MIX.apply(x).toFloatArray());
            assertEquals(0.5, MIX.mixedShare(0));
            assertEquals(0.0, MIX.mixedShare(1));
        }
    }

    @Test
    void gradientsReachBothSourcesOfAMixedPixel() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 1, 2));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(MIX.apply(x).sum());
            }
            // outputs: (1, 4 from sample 1) and (3, 4): x[0,1] is used by nobody, x[1,1] twice
            assertArrayEquals(new float[] {1, 0, 1, 2}, x.getGradient().toFloatArray());
        }
    }

    @Test
    void identityChangesNothingAndBadDrawsAreRefused() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new long[] {1, 2, 3, 4}, new Shape(2, 1, 2));
            assertArrayEquals(new long[] {1, 2, 3, 4}, Mix.identity(2, 1, 2).apply(x).toLongArray());
            assertThrows(IllegalArgumentException.class, () -> Mix.identity(3, 1, 2).apply(x));
        }
        assertThrows(IllegalArgumentException.class, () -> new Mix(2, 1, 2, new int[] {0, 2}, new byte[4]));
        assertThrows(IllegalArgumentException.class, () -> new Mix(2, 1, 2, new int[] {0, 1}, new byte[3]));
    }
}
