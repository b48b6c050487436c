package io.sslseg.api.data;

/** Per-pixel class ids, row-major: 0 is background, 1..C-1 classes, {@link #IGNORE} pixels are not scored. */
public record LabelMask(int width, int height, byte[] labels) {
    public static final int IGNORE = 255;

    public LabelMask {
        if (width <= 0 || height <= 0 || labels.length != width * height) {
            throw new IllegalArgumentException(
                    "mask of " + width + "x" + height + " needs " + (width * height) + " bytes, got " + labels.length);
        }
    }

    public int get(int x, int y) {
        return labels[y * width + x] & 0xFF;
    }
}
