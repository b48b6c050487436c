package io.sslseg.plugins.seggan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.SplitMix64;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The discriminator's ground-truth draws: distinct images, reproducible, cropped and padded like the platform's. */
class RealMasksTest {

    /** Sample i is a w x h mask filled with class i % 3 except pixel (0, 0), which is 255. */
    private static SampleList masks(int n, int w, int h) {
        return SampleList.of(n, i -> "m" + i, i -> {
            byte[] labels = new byte[w * h];
            Arrays.fill(labels, (byte) (i % 3));
            labels[0] = (byte) 255;
            return new Sample("m" + i, new RgbImage(w, h, new byte[w * h * 3]), new LabelMask(w, h, labels), null);
        });
    }

    @Test
    void picksAreDistinctWhileTheSplitIsLargeEnoughAndReproducible() {
        for (long seed = 0; seed < 50; seed++) {
            int[] p = RealMasks.pick(new SplitMix64(seed), 10, 8);
            Set<Integer> distinct = new HashSet<>();
            for (int i : p) {
                assertTrue(i >= 0 && i < 10);
                distinct.add(i);
            }
            assertEquals(8, distinct.size(), Arrays.toString(p));
            assertArrayEquals(p, RealMasks.pick(new SplitMix64(seed), 10, 8));
        }
        int[] p = RealMasks.pick(new SplitMix64(1), 3, 8); // fewer images than the batch: with replacement
        assertEquals(8, p.length);
        assertTrue(Arrays.stream(p).allMatch(i -> i >= 0 && i < 3));
    }

    /** A 3 x 2 mask in a 4 x 4 crop: the mask at the top left, 255 bottom and right; mirrored when flipped. */
    @Test
    void smallMasksArePaddedWith255AndFlipsMirror() {
        LabelMask m = new LabelMask(3, 2, new byte[] {1, 2, 3, 4, 5, 6});
        byte[] out = new byte[16];
        RealMasks.cut(m, 0, 0, false, out, 0, 4, 4);
        byte x = (byte) 255;
        assertArrayEquals(new byte[] {1, 2, 3, x, 4, 5, 6, x, x, x, x, x, x, x, x, x}, out);
        RealMasks.cut(m, 0, 0, true, out, 0, 4, 4);
        assertArrayEquals(new byte[] {x, 3, 2, 1, x, 6, 5, 4, x, x, x, x, x, x, x, x}, out);
        // a window inside a larger mask
        RealMasks.cut(m, 1, 1, false, out, 0, 1, 2);
        assertArrayEquals(new byte[] {5, 6}, Arrays.copyOf(out, 2));
    }

    @Test
    void drawsAreInt64CropsOfDistinctImagesAndRepeatWithTheSeed() {
        RealMasks real = new RealMasks(masks(6, 40, 36));
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray a = real.draw(m, new SplitMix64(7), 4, 32, 32);
            assertEquals(new Shape(4, 32, 32), a.getShape());
            assertEquals(DataType.INT64, a.getDataType());
            assertArrayEquals(a.toLongArray(), real.draw(m, new SplitMix64(7), 4, 32, 32).toLongArray());
            assertFalse(Arrays.equals(a.toLongArray(), real.draw(m, new SplitMix64(8), 4, 32, 32).toLongArray()));
            long[] v = a.toLongArray();
            for (int i = 0; i < 4; i++) {
                long[] one = Arrays.copyOfRange(v, i * 1024, (i + 1) * 1024);
                // one class per image (plus at most the 255 corner pixel when the window holds it)
                assertTrue(Arrays.stream(one).filter(c -> c != 255).distinct().count() == 1, Arrays.toString(one));
                assertTrue(Arrays.stream(one).filter(c -> c == 255).count() <= 1);
            }
            // 64 px crops of 40 x 36 masks: everything beyond the mask is ignored
            NDArray padded = real.draw(m, new SplitMix64(9), 2, 64, 64);
            long ignored = Arrays.stream(padded.toLongArray()).filter(c -> c == 255).count();
            assertEquals(2 * (64 * 64 - 40 * 36 + 1), ignored);
        }
    }
}
