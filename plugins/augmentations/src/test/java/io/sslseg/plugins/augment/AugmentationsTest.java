package io.sslseg.plugins.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.api.augment.Mix;
import io.sslseg.api.data.SplitMix64;
import org.junit.jupiter.api.Test;

/** Each augmentation against values worked out by hand. */
class AugmentationsTest {

    @Test
    void grayscaleWritesTheLumaIntoEveryChannel() {
        float[] px = {1f, 0f, 0f, 1f, 0f, 0f}; // 2 pixels: red, green (R plane, G plane, B plane)
        new Grayscale(new Grayscale.Params(1.0)).apply(px, 0, 1, 2, SplitMix64.of(1));
        assertArrayEquals(new float[] {0.299f, 0.587f, 0.299f, 0.587f, 0.299f, 0.587f}, px, 1e-6f);
        float[] untouched = {1f, 0f, 0f, 1f, 0f, 0f};
        new Grayscale(new Grayscale.Params(0.0)).apply(untouched, 0, 1, 2, SplitMix64.of(1));
        assertArrayEquals(new float[] {1f, 0f, 0f, 1f, 0f, 0f}, untouched);
    }

    /** A third of a turn takes red to green and green to blue; gray has no hue and stays. */
    @Test
    void hueRotationTurnsTheColourWheel() {
        float[] px = {1f, 0f, 0.5f, 0f, 1f, 0.5f, 0f, 0f, 0.5f}; // red, green, gray
        ColorJitter.rotateHue(px, 0, 3, 1f / 3);
        assertArrayEquals(new float[] {0f, 0f, 0.5f, 1f, 0f, 0.5f, 0f, 1f, 0.5f}, px, 1e-5f);
    }

    /** Brightness alone with factor in [1.5, 1.5]: every value times 1.5, clamped at 1. */
    @Test
    void brightnessScalesAndClamps() {
        float[] px = {0.2f, 0.8f, 0.4f, 0.1f, 0f, 0.6f};
        new ColorJitter(new ColorJitter.Params(1.0, 0.5, 0, 0, 0)).apply(px, 0, 1, 2, fixedDraws());
        // the brightness factor is uniform in [0.5, 1.5]; all values scale by the same factor f
        float f = px[0] / 0.2f;
        assertTrue(f >= 0.5f && f <= 1.5f, "factor " + f);
        assertEquals(Math.min(1f, 0.8f * f), px[1], 1e-6);
        assertEquals(0.4f * f, px[2], 1e-6);
    }

    private static SplitMix64 fixedDraws() {
        return SplitMix64.of(3);
    }

    @Test
    void blurKeepsAConstantImageAndSmoothsAnEdge() {
        float[] k = GaussianBlur.kernel(0.8);
        double sum = 0;
        for (float v : k) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-6);
        assertEquals(2 * 3 + 1, k.length, "radius ceil(3 * 0.8) = 3");
        float[] flat = new float[3 * 5 * 5];
        java.util.Arrays.fill(flat, 0.3f);
        GaussianBlur.blur(flat, 0, 5, 5, k);
        for (float v : flat) {
            assertEquals(0.3f, v, 1e-6f);
        }
        float[] edge = new float[3 * 1 * 4];
        edge[2] = 1f; // R plane: 0 0 1 1
        edge[3] = 1f;
        GaussianBlur.blur(edge, 0, 1, 4, k);
        assertTrue(edge[1] > 0f && edge[1] < 0.5f && edge[2] > 0.5f && edge[2] < 1f, java.util.Arrays.toString(edge));
        assertEquals(1, GaussianBlur.reflect(-1, 4));
        assertEquals(2, GaussianBlur.reflect(4, 4));
        assertEquals(0, GaussianBlur.reflect(6, 4));
    }

    /** Over many draws: no image is its own partner, boxes cover 2-40 % of an image, about half the images get one. */
    @Test
    void cutMixBoxesHaveTheConfiguredAreaAndNeverMixAnImageWithItself() {
        CutMix cutMix = new CutMix(new CutMix.Params(0.5, 0.02, 0.4, 0.3));
        int mixed = 0;
        int images = 0;
        for (long seed = 0; seed < 200; seed++) {
            Mix mix = cutMix.draw(8, 56, 56, SplitMix64.of(seed));
            int[] partner = mix.partner();
            for (int i = 0; i < 8; i++) {
                assertNotEquals(i, partner[i]);
                double share = mix.mixedShare(i);
                images++;
                if (share > 0) {
                    mixed++;
                    assertTrue(share >= 0.015 && share <= 0.41, "box share " + share);
                }
            }
        }
        assertEquals(0.5, (double) mixed / images, 0.06);
        assertEquals(0.0, cutMix.draw(1, 8, 8, SplitMix64.of(1)).mixedShare(0), "a batch of one has no partner");
    }

    @Test
    void outOfRangeParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Grayscale.Params(1.5));
        assertThrows(IllegalArgumentException.class, () -> new ColorJitter.Params(0.8, 0.5, 0.5, 0.5, 0.7));
        assertThrows(IllegalArgumentException.class, () -> new GaussianBlur.Params(0.5, 2.0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new CutMix.Params(0.5, 0.5, 0.4, 0.3));
    }
}
