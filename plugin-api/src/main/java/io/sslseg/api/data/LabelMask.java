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

    /** Pixels per value, indexed 0..255. */
    public long[] histogram() {
        long[] counts = new long[256];
        for (byte b : labels) {
            counts[b & 0xFF]++;
        }
        return counts;
    }

    /**
     * Null when every value counted in {@code histogram} is a class id below {@code numClasses} or {@link #IGNORE};
     * else a sentence naming the other values with their pixel counts, for an error that names the mask's file.
     */
    public static String unknownValues(long[] histogram, int numClasses) {
        StringBuilder bad = new StringBuilder();
        for (int v = numClasses; v < IGNORE; v++) {
            if (histogram[v] > 0) {
                bad.append(bad.length() == 0 ? "" : ", ").append(v).append(" (").append(histogram[v]).append(" px)");
            }
        }
        return bad.length() == 0 ? null : "mask values " + bad + " are neither a class (0.." + (numClasses - 1)
                + ") nor 255 (ignore)";
    }
}
