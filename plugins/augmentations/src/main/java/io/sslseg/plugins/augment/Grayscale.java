package io.sslseg.plugins.augment;

import io.sslseg.api.augment.AugmentationFactory;
import io.sslseg.api.data.SplitMix64;

/** With probability {@code probability}, every channel becomes the image's luma (torchvision's RandomGrayscale). */
public final class Grayscale extends Sometimes {

    /** @param probability of turning an image gray (UniMatch 0.2) */
    public record Params(double probability) {
        public Params {
            Pixels.checkProbability(probability);
        }
    }

    public static AugmentationFactory<Params> factory() {
        return AugmentationFactory.of(Params.class, new Params(0.2), "grayscale with a probability (luma in all three channels)",
                (p, ctx) -> new Grayscale(p));
    }

    private final Params p;

    Grayscale(Params p) {
        super(p.probability());
        this.p = p;
    }

    @Override
    void change(float[] chw, int offset, int height, int width, SplitMix64 rng) {
        int plane = height * width;
        for (int i = 0; i < plane; i++) {
            float y = Pixels.luma(chw, offset, plane, i);
            chw[offset + i] = y;
            chw[offset + plane + i] = y;
            chw[offset + 2 * plane + i] = y;
        }
    }
}
