package io.sslseg.fashionscenes;

import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.SplitMix64;
import java.util.Set;
import java.util.TreeSet;

/**
 * Composes one scene as {@code shared/benchmarks/fashion-scenes.md} (v1) describes: a pure function of
 * (base seed, split, index, size, items). Stateless and thread-safe.
 *
 * <p>Determinism across machines: every random draw comes from the scene's own {@link SplitMix64}, in a
 * fixed order (background colours, direction, noise row by row, item count, then per item: source image,
 * scale, flip, position, tint); all arithmetic is double precision with {@link StrictMath}, and rounding
 * is explicit. Changing that order or any formula changes every scene: bump {@link #VERSION} then.
 */
final class SceneGenerator {
    static final String VERSION = "v1";
    static final int NUM_CLASSES = 11;
    static final int MIN_TAG_PIXELS = 20;
    private static final long TRAIN_STREAM = 1;
    private static final long VAL_STREAM = 2;
    private static final double NOISE_SIGMA = 8;

    /** One generated scene: the image, its full mask and its image-level tags (class ids 1..10). */
    record Scene(RgbImage image, LabelMask mask, Set<Integer> tags) {}

    private final FashionMnist items;
    private final long seed;
    private final int size;

    SceneGenerator(FashionMnist items, long seed, int size) {
        this.items = items;
        this.seed = seed;
        this.size = size;
    }

    String itemsDescription() {
        return items.description();
    }

    /** Scene {@code index} of the train pool ({@code val} false) or of val; items come from the matching part. */
    Scene scene(boolean val, int index) {
        SplitMix64 rng = SplitMix64.of(seed, val ? VAL_STREAM : TRAIN_STREAM, index);
        int n = size;
        double[] canvas = new double[n * n * 3];
        byte[] mask = new byte[n * n];
        background(rng, canvas);

        byte[] images = val ? items.testImages() : items.trainImages();
        byte[] labels = val ? items.testLabels() : items.trainLabels();
        int k = rng.nextIntClosed(1, 3);
        for (int item = 0; item < k; item++) {
            int src = rng.nextInt(labels.length);
            double scale = rng.nextDouble(1.0, 1.8);
            int side = (int) StrictMath.floor(FashionMnist.SIDE * scale + 0.5);
            boolean flip = rng.nextDouble() < 0.5;
            int left = rng.nextIntClosed(0, n - side);
            int top = rng.nextIntClosed(0, n - side);
            double[] tint = {rng.nextIntClosed(60, 255), rng.nextIntClosed(60, 255), rng.nextIntClosed(60, 255)};
            double[] alpha = resize(images, src * FashionMnist.PIXELS, side);
            byte label = (byte) (labels[src] + 1);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double a = alpha[y * side + (flip ? side - 1 - x : x)];
                    int p = (top + y) * n + left + x;
                    if (a > 0) {
                        for (int c = 0; c < 3; c++) {
                            canvas[p * 3 + c] = (1 - a) * canvas[p * 3 + c] + a * tint[c];
                        }
                    }
                    if (a > 0.3) {
                        mask[p] = label;
                    } else if (a > 0.1) {
                        mask[p] = (byte) LabelMask.IGNORE;
                    }
                }
            }
        }

        byte[] rgb = new byte[canvas.length];
        for (int i = 0; i < canvas.length; i++) {
            rgb[i] = (byte) clampRound(canvas[i]);
        }
        return new Scene(new RgbImage(n, n, rgb), new LabelMask(n, n, mask), tags(mask));
    }

    /** A linear gradient between two random colours along a random direction, plus Gaussian noise, clipped. */
    private void background(SplitMix64 rng, double[] canvas) {
        int n = size;
        double[] from = {rng.nextIntClosed(0, 255), rng.nextIntClosed(0, 255), rng.nextIntClosed(0, 255)};
        double[] to = {rng.nextIntClosed(0, 255), rng.nextIntClosed(0, 255), rng.nextIntClosed(0, 255)};
        double angle = rng.nextDouble() * 2 * StrictMath.PI;
        double dx = StrictMath.cos(angle);
        double dy = StrictMath.sin(angle);
        // Position along the direction, 0 at the first canvas corner it reaches, 1 at the last.
        double lo = Math.min(0, dx * (n - 1)) + Math.min(0, dy * (n - 1));
        double hi = Math.max(0, dx * (n - 1)) + Math.max(0, dy * (n - 1));
        double span = hi - lo;
        for (int y = 0, p = 0; y < n; y++) {
            for (int x = 0; x < n; x++, p += 3) {
                double t = (dx * x + dy * y - lo) / span;
                for (int c = 0; c < 3; c++) {
                    double v = from[c] + (to[c] - from[c]) * t + NOISE_SIGMA * rng.nextGaussian();
                    canvas[p + c] = Math.min(255, Math.max(0, v));
                }
            }
        }
    }

    /**
     * Bilinear resize of one 28x28 item to side x side, sampling at pixel centres (half-pixel alignment,
     * edges clamped), as alpha = intensity / 255.
     */
    private static double[] resize(byte[] images, int offset, int side) {
        int s = FashionMnist.SIDE;
        double[] out = new double[side * side];
        double ratio = (double) s / side;
        for (int y = 0; y < side; y++) {
            double sy = Math.min(s - 1, Math.max(0, (y + 0.5) * ratio - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, s - 1);
            double fy = sy - y0;
            for (int x = 0; x < side; x++) {
                double sx = Math.min(s - 1, Math.max(0, (x + 0.5) * ratio - 0.5));
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, s - 1);
                double fx = sx - x0;
                double top = (1 - fx) * (images[offset + y0 * s + x0] & 0xFF) + fx * (images[offset + y0 * s + x1] & 0xFF);
                double bottom = (1 - fx) * (images[offset + y1 * s + x0] & 0xFF) + fx * (images[offset + y1 * s + x1] & 0xFF);
                out[y * side + x] = ((1 - fy) * top + fy * bottom) / 255;
            }
        }
        return out;
    }

    /** Every class with at least {@link #MIN_TAG_PIXELS} pixels in the final mask. */
    static Set<Integer> tags(byte[] mask) {
        int[] counts = new int[256];
        for (byte b : mask) {
            counts[b & 0xFF]++;
        }
        Set<Integer> tags = new TreeSet<>();
        for (int c = 1; c < NUM_CLASSES; c++) {
            if (counts[c] >= MIN_TAG_PIXELS) {
                tags.add(c);
            }
        }
        return tags;
    }

    private static int clampRound(double v) {
        return (int) Math.min(255, Math.max(0, StrictMath.floor(v + 0.5)));
    }
}
