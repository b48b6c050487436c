package io.sslseg.plugins.unet;

/**
 * Parameters of {@code unet}.
 *
 * @param width channels at the finest skip level; each coarser level has twice its finer neighbour's (a U-Net's
 *     mirror of its encoder), and the full-resolution convs have this many
 * @param convs 3x3 conv-BN-ReLU layers after each concatenation (a U-Net has 2)
 * @param headConvs 3x3 conv-BN-ReLU layers at input resolution, after the last upsampling; 0 = classify at the
 *     finest skip level and upsample the logits bilinearly
 */
public record UNetDecoderParams(int width, int convs, int headConvs) {
    public static final UNetDecoderParams DEFAULTS = new UNetDecoderParams(32, 2, 1);

    public UNetDecoderParams {
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        if (convs < 1) {
            throw new IllegalArgumentException("convs must be at least 1, got " + convs);
        }
        if (headConvs < 0) {
            throw new IllegalArgumentException("headConvs must be >= 0, got " + headConvs);
        }
    }
}
