package io.sslseg.plugins.augment;

/** Helpers on one image's pixels: RGB planes of {@code plane} values from {@code offset}, values in [0, 1]. */
final class Pixels {
    /** ITU-R 601 luma weights, as torchvision's rgb_to_grayscale. */
    static final float LUMA_R = 0.299f;
    static final float LUMA_G = 0.587f;
    static final float LUMA_B = 0.114f;

    private Pixels() {}

    static float clamp(float v) {
        return v < 0f ? 0f : Math.min(v, 1f);
    }

    static float luma(float[] chw, int offset, int plane, int i) {
        return LUMA_R * chw[offset + i] + LUMA_G * chw[offset + plane + i] + LUMA_B * chw[offset + 2 * plane + i];
    }

    /** x = clamp(factor * x + (1 - factor) * other), per channel, where other is per pixel (gray) or null (0). */
    static void blend(float[] chw, int offset, int plane, float factor, float[] otherPerPixel, float otherConstant) {
        for (int c = 0; c < 3; c++) {
            int o = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                float other = otherPerPixel == null ? otherConstant : otherPerPixel[i];
                chw[o + i] = clamp(factor * chw[o + i] + (1 - factor) * other);
            }
        }
    }

    static void checkProbability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
        }
    }
}
