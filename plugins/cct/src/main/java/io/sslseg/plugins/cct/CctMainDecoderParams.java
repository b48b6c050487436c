package io.sslseg.plugins.cct;

/**
 * Parameters of {@code cct-main}.
 *
 * @param width channels of the PSP output z (the reference has 512 = in / 4 for a 2048-channel ResNet-50;
 *     128 suits the small CPU encoders, whose last stage has 256)
 * @param reluBeforeShuffle keep the reference's ReLU before the last pixel shuffle, which makes every logit
 *     >= 0 (cct.md 1.2). Default true: CCT's consistency losses and published numbers come from that model
 */
public record CctMainDecoderParams(int width, boolean reluBeforeShuffle) {
    public static final CctMainDecoderParams DEFAULTS = new CctMainDecoderParams(128, true);

    public CctMainDecoderParams {
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
    }
}
