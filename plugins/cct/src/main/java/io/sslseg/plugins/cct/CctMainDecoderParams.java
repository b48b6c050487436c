package io.sslseg.plugins.cct;

/**
 * Parameters of {@code cct-main}.
 *
 * @param width channels of the PSP output z (the reference has 512 = in / 4 for a 2048-channel ResNet-50;
 *     128 suits the small CPU encoders, whose last stage has 256)
 * @param reluBeforeShuffle keep the reference's ReLU before the last pixel shuffle, which makes every logit
 *     >= 0. Default true: CCT's consistency losses and published numbers come from that model
 * @param upsampleWidth channels carried through the pixel-shuffle steps, then a 1x1 conv to the classes;
 *     0 = the reference (the classes themselves). See {@link UpsampleHead}
 * @param skipStride fuse z with the encoder's first stage of this stride (a finer grid for the heads); 0 = the
 *     reference (z on the deepest stage alone). See {@link CctNeck}
 */
public record CctMainDecoderParams(int width, boolean reluBeforeShuffle, int upsampleWidth, int skipStride) {
    public static final CctMainDecoderParams DEFAULTS = new CctMainDecoderParams(128, true, 0, 0);

    public CctMainDecoderParams {
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        if (skipStride < 0 || (skipStride > 0 && Integer.bitCount(skipStride) != 1)) {
            throw new IllegalArgumentException("skipStride must be 0 (none) or a power of two, got " + skipStride);
        }
        if (upsampleWidth < 0) {
            throw new IllegalArgumentException("upsampleWidth must be >= 0 (0 = the reference), got " + upsampleWidth);
        }
    }
}
