package io.sslseg.plugins.unet;

/**
 * Parameters of the {@code unet} encoder.
 *
 * @param width channels of the full-resolution level; each level below has twice its upper neighbour's
 * @param levels levels of the contracting path, each published as a stage: strides 1, 2, ..., 2^(levels-1)
 * @param convs 3x3 conv-BN-ReLU layers per level (a U-Net has 2)
 */
public record UNetEncoderParams(int width, int levels, int convs) {
    public static final UNetEncoderParams DEFAULTS = new UNetEncoderParams(32, 4, 2);

    public UNetEncoderParams {
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        if (levels < 1 || levels > 6) {
            throw new IllegalArgumentException("levels must be 1..6, got " + levels);
        }
        if (convs < 1) {
            throw new IllegalArgumentException("convs must be at least 1, got " + convs);
        }
    }
}
