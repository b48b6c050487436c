package io.sslseg.platform.data;

/**
 * Training augmentation: random rescale by a factor in [scaleMin, scaleMax], pad to at least
 * {@code crop} (bottom and right), random {@code crop} x {@code crop} window, horizontal flip with p = 0.5,
 * and, with {@code permuteChannels}, the image's R, G and B planes in one of their 6 orders, uniformly.
 */
public record AugmentConfig(double scaleMin, double scaleMax, int crop, boolean flip, boolean permuteChannels) {
    /** The platform's defaults: no rescaling, a 64 px crop, horizontal flip, colour planes in their order. */
    public static AugmentConfig defaults() {
        return new AugmentConfig(1.0, 1.0, 64, true, false);
    }

    /** Without channel permutation. */
    public AugmentConfig(double scaleMin, double scaleMax, int crop, boolean flip) {
        this(scaleMin, scaleMax, crop, flip, false);
    }

    public AugmentConfig {
        if (!(scaleMin > 0) || !(scaleMax >= scaleMin) || scaleMax > 16) {
            throw new IllegalArgumentException("scaleMin and scaleMax must satisfy 0 < scaleMin <= scaleMax <= 16, got "
                    + scaleMin + " and " + scaleMax);
        }
        if (crop < 1 || crop > 8192) {
            throw new IllegalArgumentException("crop must be 1..8192 pixels, got " + crop);
        }
    }
}
