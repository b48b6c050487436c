package io.sslseg.platform.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.api.data.AugmentView;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SplitMix64;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AugmenterTest {
    private static final Sample SAMPLE = TestLists.uniform(1, 24, true).load(0);

    private static float[] image(Augmenter a, long seed, byte[] mask) {
        int crop = a.config().crop();
        float[] out = new float[3 * crop * crop];
        a.apply(SAMPLE.image(), SAMPLE.mask(), SplitMix64.of(seed), out, 0, mask, 0);
        return out;
    }

    @Test
    void identityConfigOnlyNormalises() {
        Augmenter a = new Augmenter(new AugmentConfig(1, 1, 24, false));
        byte[] mask = new byte[24 * 24];
        float[] out = image(a, 1, mask);
        float[] expected = new float[out.length];
        Batch.writeImage(SAMPLE.image(), expected, 0);
        assertArrayEquals(expected, out, 1e-6f);
        assertArrayEquals(SAMPLE.mask().labels(), mask);
    }

    @Test
    void padsWith255InMasksAndZeroInImages() {
        Augmenter a = new Augmenter(new AugmentConfig(1, 1, 32, false));
        byte[] mask = new byte[32 * 32];
        float[] out = image(a, 1, mask);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                boolean pad = x >= 24 || y >= 24;
                assertEquals(pad, (mask[y * 32 + x] & 0xFF) == 255, "mask at " + x + "," + y);
                if (pad) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(0f, out[c * 1024 + y * 32 + x]);
                    }
                }
            }
        }
    }

    @Test
    void flipMovesImageAndMaskTogether() {
        Augmenter plain = new Augmenter(new AugmentConfig(1, 1, 16, false));
        Augmenter flipping = new Augmenter(new AugmentConfig(1, 1, 16, true));
        int flipped = 0;
        for (long seed = 0; seed < 20; seed++) {
            byte[] m0 = new byte[256];
            byte[] m1 = new byte[256];
            float[] i0 = image(plain, seed, m0);
            float[] i1 = image(flipping, seed, m1);
            if (Arrays.equals(m0, m1) && Arrays.equals(i0, i1)) {
                continue; // not flipped this time
            }
            flipped++;
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    assertEquals(m0[y * 16 + x], m1[y * 16 + 15 - x]);
                    for (int c = 0; c < 3; c++) {
                        assertEquals(i0[c * 256 + y * 16 + x], i1[c * 256 + y * 16 + 15 - x]);
                    }
                }
            }
        }
        assertTrue(flipped > 4 && flipped < 16, "flips about half the time: " + flipped + "/20");
    }

    /**
     * With label = source column and red = 10 x label, whatever the scale, crop and flip, each pixel's red
     * (bilinear) stays within one column of its label (nearest): image and mask moved together.
     */
    @Test
    void imageAndMaskStayAlignedUnderScalingAndFlip() {
        int n = 24;
        byte[] rgb = new byte[n * n * 3];
        byte[] labels = new byte[n * n];
        for (int p = 0; p < n * n; p++) {
            labels[p] = (byte) (p % n);
            rgb[p * 3] = (byte) (10 * (p % n));
        }
        RgbImage image = new RgbImage(n, n, rgb);
        LabelMask mask = new LabelMask(n, n, labels);
        Augmenter a = new Augmenter(new AugmentConfig(0.5, 2.0, 20, true));
        for (long seed = 0; seed < 20; seed++) {
            float[] out = new float[3 * 400];
            byte[] m = new byte[400];
            a.apply(image, mask, SplitMix64.of(seed), out, 0, m, 0);
            for (int p = 0; p < 400; p++) {
                int label = m[p] & 0xFF;
                if (label != 255) {
                    double red = (out[p] * Batch.STD[0] + Batch.MEAN[0]) * 255;
                    assertEquals(label, red / 10, 1.0, "seed " + seed + " pixel " + p);
                }
            }
        }
    }

    /** Every crop pixel's view maps to the source pixel its mask label came from; padding maps to -1. */
    @Test
    void viewMapsCropPixelsBackToTheirSourcePixels() {
        int w = 24;
        int h = 18;
        byte[] labels = new byte[w * h];
        for (int p = 0; p < labels.length; p++) {
            labels[p] = (byte) (p % 250); // distinct per pixel modulo 250, never 255
        }
        RgbImage image = new RgbImage(w, h, new byte[w * h * 3]);
        LabelMask mask = new LabelMask(w, h, labels);
        Augmenter a = new Augmenter(new AugmentConfig(0.5, 2.0, 20, true));
        int padded = 0;
        int flipped = 0;
        for (long seed = 0; seed < 40; seed++) {
            byte[] m = new byte[400];
            AugmentView view = a.apply(image, mask, SplitMix64.of(seed), new float[3 * 400], 0, m, 0);
            flipped += view.flip() ? 1 : 0;
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 20; x++) {
                    int src = view.sourcePixel(x, y, 20, 20);
                    int label = m[y * 20 + x] & 0xFF;
                    if (src < 0) {
                        assertEquals(255, label, "seed " + seed + " (" + x + "," + y + ") is padding");
                        padded++;
                    } else {
                        assertEquals(labels[src] & 0xFF, label, "seed " + seed + " (" + x + "," + y + ")");
                    }
                }
            }
            // a coarser grid (a decoder at half resolution) lands on the pixel under each cell's centre
            assertEquals(view.sourcePixel(1, 1, 20, 20), view.sourcePixel(0, 0, 10, 10));
        }
        assertTrue(padded > 0 && flipped > 0 && flipped < 40, "the draws cover padding and both flips");
        // an un-augmented 7x5 image sits top-left in a 7x7 square, the rows below it padding
        assertEquals(4 * 7 + 3, AugmentView.identity(7, 5).sourcePixel(3, 4, 7, 7));
        assertEquals(-1, AugmentView.identity(7, 5).sourcePixel(3, 5, 7, 7));
    }

    /**
     * Channel permutation: with the same seed, geometry (mask, crop, flip) is what it is without it, and the
     * image's three planes are the unpermuted planes in one order; all 6 orders turn up, each about as often.
     */
    @Test
    void permutedChannelsAreTheSamePlanesInAnotherOrderAndLeaveGeometryAlone() {
        int n = 16;
        byte[] rgb = new byte[n * n * 3];
        byte[] labels = new byte[n * n];
        for (int p = 0; p < n * n; p++) {
            labels[p] = (byte) (p % 11);
            for (int c = 0; c < 3; c++) {
                rgb[p * 3 + c] = (byte) ((p * (c + 2) + 40 * c) % 256); // three different planes
            }
        }
        RgbImage image = new RgbImage(n, n, rgb);
        LabelMask mask = new LabelMask(n, n, labels);
        Augmenter plain = new Augmenter(new AugmentConfig(0.5, 1.5, 12, true, false));
        Augmenter permuting = new Augmenter(new AugmentConfig(0.5, 1.5, 12, true, true));
        int plane = 12 * 12;
        int[] orders = new int[6];
        int draws = 600;
        for (long seed = 0; seed < draws; seed++) {
            float[] i0 = new float[3 * plane];
            float[] i1 = new float[3 * plane];
            byte[] m0 = new byte[plane];
            byte[] m1 = new byte[plane];
            AugmentView v0 = plain.apply(image, mask, SplitMix64.of(seed), i0, 0, m0, 0);
            AugmentView v1 = permuting.apply(image, mask, SplitMix64.of(seed), i1, 0, m1, 0);
            assertEquals(v0, v1, "seed " + seed);
            assertArrayEquals(m0, m1, "seed " + seed);
            int[] source = new int[3];
            for (int c = 0; c < 3; c++) {
                source[c] = -1;
                for (int s = 0; s < 3; s++) {
                    if (samePlane(i1, c, i0, s, m0)) {
                        source[c] = s;
                    }
                }
                assertTrue(source[c] >= 0, "seed " + seed + ": output channel " + c + " is no input plane");
            }
            assertEquals(3, Arrays.stream(source).distinct().count(), "a permutation: " + Arrays.toString(source));
            orders[orderIndex(source)]++;
        }
        for (int count : orders) {
            assertEquals(draws / 6.0, count, 40, "each order about 1/6 of the time: " + Arrays.toString(orders));
        }
    }

    /** Plane {@code c} of {@code a} and plane {@code s} of {@code b} hold the same 0..255 values off padding. */
    private static boolean samePlane(float[] a, int c, float[] b, int s, byte[] mask) {
        int plane = mask.length;
        for (int p = 0; p < plane; p++) {
            if ((mask[p] & 0xFF) == LabelMask.IGNORE) {
                continue; // padding is the normalised 0 in every channel, not a permuted value
            }
            double va = (a[c * plane + p] * Batch.STD[c] + Batch.MEAN[c]) * 255;
            double vb = (b[s * plane + p] * Batch.STD[s] + Batch.MEAN[s]) * 255;
            if (Math.abs(va - vb) > 1e-3) {
                return false;
            }
        }
        return true;
    }

    private static int orderIndex(int[] source) {
        return source[0] * 2 + (source[1] > source[2] ? 1 : 0);
    }

    @Test
    void sameGeneratorSameOutput() {
        Augmenter a = new Augmenter(new AugmentConfig(0.5, 2.0, 20, true));
        byte[] m0 = new byte[400];
        byte[] m1 = new byte[400];
        assertArrayEquals(image(a, 5, m0), image(a, 5, m1));
        assertArrayEquals(m0, m1);
        byte[] m2 = new byte[400];
        assertFalse(Arrays.equals(image(a, 5, m0), image(a, 6, m2)));
    }

    @Test
    void configIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> new AugmentConfig(2, 1, 64, true));
        assertThrows(IllegalArgumentException.class, () -> new AugmentConfig(0, 1, 64, true));
        assertThrows(IllegalArgumentException.class, () -> new AugmentConfig(1, 1, 0, true));
    }
}
