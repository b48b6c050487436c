package io.sslseg.api.data;

/**
 * Where a training crop came from: the source image was resized to {@code scaledWidth x scaledHeight},
 * a {@code crop x crop} window was cut at ({@code left}, {@code top}) (padded bottom/right where it runs past
 * the scaled image) and mirrored when {@code flip}. Methods that keep per-image state in the image's own
 * frame (temporal ensembling) use it to map a crop's pixels back to source pixels.
 */
public record AugmentView(int sourceWidth, int sourceHeight, int scaledWidth, int scaledHeight, int left, int top,
        boolean flip, int crop) {

    /**
     * The view of an image used as it is (evaluation batches). Crops are square, so a non-square image is
     * described as sitting top-left in a square of its longer side, the rest padding.
     */
    public static AugmentView identity(int width, int height) {
        return new AugmentView(width, height, width, height, 0, 0, false, Math.max(width, height));
    }

    /**
     * The source pixel (row-major index into {@code sourceWidth x sourceHeight}) nearest to the centre of cell
     * ({@code x}, {@code y}) of a {@code gridWidth x gridHeight} grid laid over the crop (the crop itself, or a
     * decoder's coarser output grid), or -1 when that cell lies in the padding.
     */
    public int sourcePixel(int x, int y, int gridWidth, int gridHeight) {
        int cx = (int) ((x + 0.5) * crop / gridWidth);
        int cy = (int) ((y + 0.5) * crop / gridHeight);
        int px = left + (flip ? crop - 1 - cx : cx);
        int py = top + cy;
        if (px >= scaledWidth || py >= scaledHeight) {
            return -1;
        }
        // the same arithmetic as the augmenter's nearest-neighbour mask sampling, so both agree at ties
        double rx = (double) sourceWidth / scaledWidth;
        double ry = (double) sourceHeight / scaledHeight;
        int sx = Math.min(sourceWidth - 1, (int) ((px + 0.5) * rx));
        int sy = Math.min(sourceHeight - 1, (int) ((py + 0.5) * ry));
        return sy * sourceWidth + sx;
    }
}
