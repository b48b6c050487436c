package io.sslseg.api.augment;

import io.sslseg.api.data.SplitMix64;

/** A per-image photometric augmentation: pixels in, pixels out, geometry untouched (masks stay valid). */
public non-sealed interface PixelAugmentation extends Augmentation {
    /**
     * Changes one image in place.
     *
     * @param chw pixels in [0, 1], the R, G and B planes of {@code height x width} values one after another,
     *     starting at {@code offset}; results must stay in [0, 1]
     * @param rng this image's generator; the only source of randomness
     */
    void apply(float[] chw, int offset, int height, int width, SplitMix64 rng);
}
