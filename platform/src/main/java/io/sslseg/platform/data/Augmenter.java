package io.sslseg.platform.data;

import io.sslseg.api.data.AugmentView;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.SplitMix64;
import java.util.Arrays;

/**
 * Applies an {@link AugmentConfig} to one sample in a single pass: each output pixel is mapped back
 * through flip, crop window and scale to the source, so no intermediate (scaled or padded) image is
 * built. Images are sampled bilinearly (half-pixel centres), masks by nearest neighbour. Padding lies
 * bottom/right of the scaled image, as in CCT: 0 in the normalised image (the ImageNet mean) and
 * 255 (ignore) in the mask. Channel permutation moves whole colour planes and leaves geometry and masks alone;
 * it suits only data whose colours carry no class, which is the dataset's to say (its documentation does).
 * Stateless: the randomness comes from the caller's generator.
 */
public final class Augmenter {
    /** For each of the 6 orders, the source channel of output channels 0, 1, 2; the first is the identity. */
    private static final int[][] CHANNEL_ORDERS = {
        {0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};

    private final AugmentConfig config;

    public Augmenter(AugmentConfig config) {
        this.config = config;
    }

    public AugmentConfig config() {
        return config;
    }

    /**
     * Writes the augmented {@code crop x crop} image (normalised CHW) at {@code imageOffset} and, when
     * {@code masks} is not null, the mask at {@code maskOffset} (all 255 if {@code mask} is null).
     * Draws, in order: scale, crop x, crop y, flip, channel order; a draw that is switched off is skipped, so
     * switching one on leaves the draws before it as they were.
     *
     * @return where the crop came from in the source image
     */
    public AugmentView apply(RgbImage image, LabelMask mask, SplitMix64 rng, float[] images, int imageOffset,
            byte[] masks, int maskOffset) {
        int crop = config.crop();
        int w = image.width();
        int h = image.height();
        double scale = config.scaleMin() == config.scaleMax() ? config.scaleMin()
                : rng.nextDouble(config.scaleMin(), config.scaleMax());
        int sw = Math.max(1, (int) Math.floor(w * scale + 0.5));
        int sh = Math.max(1, (int) Math.floor(h * scale + 0.5));
        int left = rng.nextIntClosed(0, Math.max(0, sw - crop));
        int top = rng.nextIntClosed(0, Math.max(0, sh - crop));
        boolean flip = config.flip() && rng.nextBoolean();
        int[] channelOf = config.permuteChannels() ? CHANNEL_ORDERS[rng.nextInt(CHANNEL_ORDERS.length)]
                : CHANNEL_ORDERS[0];

        // Per output column and row: the source coordinates (or -1 for padding).
        int[] x0 = new int[crop];
        int[] x1 = new int[crop];
        float[] fx = new float[crop];
        int[] nx = new int[crop];
        for (int x = 0; x < crop; x++) {
            int px = left + (flip ? crop - 1 - x : x);
            if (px >= sw) {
                x0[x] = -1;
                continue;
            }
            sample(px, w, sw, x, x0, x1, fx, nx);
        }
        int[] y0 = new int[crop];
        int[] y1 = new int[crop];
        float[] fy = new float[crop];
        int[] ny = new int[crop];
        for (int y = 0; y < crop; y++) {
            int py = top + y;
            if (py >= sh) {
                y0[y] = -1;
                continue;
            }
            sample(py, h, sh, y, y0, y1, fy, ny);
        }

        byte[] rgb = image.rgb();
        int plane = crop * crop;
        for (int y = 0; y < crop; y++) {
            int row = imageOffset + y * crop;
            if (y0[y] < 0) {
                for (int c = 0; c < 3; c++) {
                    Arrays.fill(images, row + c * plane, row + c * plane + crop, 0f);
                }
                continue;
            }
            int r0 = y0[y] * w;
            int r1 = y1[y] * w;
            float wy = fy[y];
            for (int x = 0; x < crop; x++) {
                if (x0[x] < 0) {
                    for (int c = 0; c < 3; c++) {
                        images[row + c * plane + x] = 0f;
                    }
                    continue;
                }
                float wx = fx[x];
                int a = (r0 + x0[x]) * 3;
                int b = (r0 + x1[x]) * 3;
                int d = (r1 + x0[x]) * 3;
                int e = (r1 + x1[x]) * 3;
                for (int c = 0; c < 3; c++) {
                    int s = channelOf[c];
                    float topValue = (rgb[a + s] & 0xFF) + wx * ((rgb[b + s] & 0xFF) - (rgb[a + s] & 0xFF));
                    float bottomValue = (rgb[d + s] & 0xFF) + wx * ((rgb[e + s] & 0xFF) - (rgb[d + s] & 0xFF));
                    float v = topValue + wy * (bottomValue - topValue);
                    images[row + c * plane + x] = Batch.normalise(v, c);
                }
            }
        }

        AugmentView view = new AugmentView(w, h, sw, sh, left, top, flip, crop);
        if (masks == null) {
            return view;
        }
        if (mask == null) {
            Arrays.fill(masks, maskOffset, maskOffset + plane, (byte) LabelMask.IGNORE);
            return view;
        }
        byte[] labels = mask.labels();
        for (int y = 0; y < crop; y++) {
            int row = maskOffset + y * crop;
            for (int x = 0; x < crop; x++) {
                masks[row + x] = y0[y] < 0 || x0[x] < 0 ? (byte) LabelMask.IGNORE : labels[ny[y] * w + nx[x]];
            }
        }
        return view;
    }

    /** Source neighbours and weight of scaled coordinate {@code p}, plus its nearest source pixel. */
    private static void sample(int p, int size, int scaledSize, int at, int[] lo, int[] hi, float[] frac, int[] nearest) {
        double ratio = (double) size / scaledSize;
        double s = Math.min(size - 1, Math.max(0, (p + 0.5) * ratio - 0.5));
        lo[at] = (int) s;
        hi[at] = Math.min(lo[at] + 1, size - 1);
        frac[at] = (float) (s - lo[at]);
        nearest[at] = Math.min(size - 1, (int) ((p + 0.5) * ratio));
    }
}
