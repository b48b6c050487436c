package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.data.SplitMix64;
import io.sslseg.api.ssl.Perturbation;
import io.sslseg.api.ssl.PerturbationContext;
import io.sslseg.api.ssl.PerturbationFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CCT's G-Cutout ({@code g-cutout}): for each predicted object, zero a rectangle of
 * {@code int(h·erase) x int(w·erase)} at a random offset inside its bounding box (offsets uniform in
 * {@code [0, int(w·(1−erase))]} and {@code [0, int(h·(1−erase))]}, both ends included, w drawn first; w and h
 * are {@code max − min} of the box, as the reference computes them), resize the mask to z's grid by nearest
 * neighbour and multiply z by it.
 *
 * <p><b>Deviation:</b> the reference finds objects as OpenCV external contours of the foreground mask and keeps
 * those with more than 50 (compressed) vertices; OpenCV is not available to sslseg. An object here is an
 * 8-connected component of the foreground (external contours trace 8-connected regions, so the boxes are the
 * same) with at least {@code minObjectPixels} pixels, a size filter standing in for the vertex count: both drop
 * small blobs, but a large object with a simple outline (a rectangle has 4 vertices) is cut here and skipped
 * there. Components are visited in raster order of their first pixel.
 */
public final class GuidedCutout implements Perturbation {

    /**
     * @param erase the fraction of each box side that is cut (the reference's 0.4)
     * @param minObjectPixels the smallest component that counts as an object (sslseg's stand-in for the
     *     reference's "more than 50 contour vertices"; 64 = an 8x8 blob, one cell of a stride-8 z)
     */
    public record Params(double erase, int minObjectPixels) {
        public static final Params DEFAULTS = new Params(0.4, 64);

        public Params {
            if (!(erase >= 0 && erase <= 1)) {
                throw new IllegalArgumentException("erase must be in [0, 1], got " + erase);
            }
            if (minObjectPixels < 1) {
                throw new IllegalArgumentException("minObjectPixels must be >= 1, got " + minObjectPixels);
            }
        }
    }

    public static PerturbationFactory<Params> factory() {
        return PerturbationFactory.of(Params.class, Params.DEFAULTS,
                "guided cutout: zero a random 40% x 40% rectangle inside each predicted object's box",
                (params, numClasses) -> new GuidedCutout(params));
    }

    /** A component's bounding box, all bounds inclusive, and its pixel count. */
    record Box(int minY, int minX, int maxY, int maxX, int pixels) {}

    private final Params params;

    public GuidedCutout(Params params) {
        this.params = params;
    }

    @Override
    public NDArray apply(NDArray z, PerturbationContext context) {
        Shape s = context.mainLogits().getShape();
        int n = (int) s.get(0), h = (int) s.get(2), w = (int) s.get(3);
        float[] fg;
        try (NDArray mask = GuidedMasks.foreground(context.mainPrediction())) {
            fg = mask.toFloatArray();
        }
        float[] keep = new float[fg.length];
        Arrays.fill(keep, 1f);
        SplitMix64 rng = SplitMix64.of(context.seed());
        for (int b = 0; b < n; b++) {
            int offset = b * h * w;
            for (Box box : objects(fg, offset, h, w, params.minObjectPixels())) {
                cut(keep, offset, h, w, box, rng);
            }
        }
        NDArray masks = z.getManager().create(keep, new Shape(n, h, w));
        return z.mul(GuidedMasks.toFeatureGrid(masks, z));
    }

    private void cut(float[] keep, int offset, int h, int w, Box box, SplitMix64 rng) {
        int boxW = box.maxX() - box.minX();
        int boxH = box.maxY() - box.minY();
        int startW = rng.nextIntClosed(0, (int) (boxW * (1 - params.erase())));
        int startH = rng.nextIntClosed(0, (int) (boxH * (1 - params.erase())));
        int y0 = box.minY() + startH, y1 = Math.min(h, y0 + (int) (boxH * params.erase()));
        int x0 = box.minX() + startW, x1 = Math.min(w, x0 + (int) (boxW * params.erase()));
        for (int y = y0; y < y1; y++) {
            Arrays.fill(keep, offset + y * w + x0, offset + y * w + Math.max(x0, x1), 0f);
        }
    }

    /** The 8-connected components of the nonzero pixels of one h x w mask with at least minPixels pixels. */
    static List<Box> objects(float[] mask, int offset, int h, int w, int minPixels) {
        List<Box> boxes = new ArrayList<>();
        boolean[] seen = new boolean[h * w];
        int[] stack = new int[h * w];
        for (int start = 0; start < h * w; start++) {
            if (seen[start] || mask[offset + start] == 0) {
                continue;
            }
            int top = 0, pixels = 0;
            int minY = h, minX = w, maxY = -1, maxX = -1;
            stack[top++] = start;
            seen[start] = true;
            while (top > 0) {
                int p = stack[--top];
                int y = p / w, x = p % w;
                pixels++;
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int ny = y + dy, nx = x + dx, q = ny * w + nx;
                        if (ny >= 0 && ny < h && nx >= 0 && nx < w && !seen[q] && mask[offset + q] != 0) {
                            seen[q] = true;
                            stack[top++] = q;
                        }
                    }
                }
            }
            if (pixels >= minPixels) {
                boxes.add(new Box(minY, minX, maxY, maxX, pixels));
            }
        }
        return boxes;
    }
}
