package io.sslseg.api.augment;

import io.sslseg.api.data.SplitMix64;

/**
 * Mixes the samples of a batch (CutMix): each image gets a region of another image of the same batch. The draw is
 * a {@link Mix}, applied alike to the images and to every per-pixel target that belongs to them (pseudo-labels,
 * confidences, ignore masks), so they stay consistent.
 */
public non-sealed interface BatchMix extends Augmentation {
    /** Draws this step's mixing of a batch of {@code n} images of {@code height x width}. */
    Mix draw(int n, int height, int width, SplitMix64 rng);
}
