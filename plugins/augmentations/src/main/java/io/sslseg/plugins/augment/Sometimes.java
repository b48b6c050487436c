package io.sslseg.plugins.augment;

import io.sslseg.api.augment.PixelAugmentation;
import io.sslseg.api.data.SplitMix64;

/** A per-sample photometric change applied with a probability: one draw decides, then {@link #change} runs. */
abstract class Sometimes implements PixelAugmentation {
    private final double probability;

    Sometimes(double probability) {
        this.probability = probability;
    }

    @Override
    public final void apply(float[] chw, int offset, int height, int width, SplitMix64 rng) {
        if (rng.nextDouble() < probability) {
            change(chw, offset, height, width, rng);
        }
    }

    /** The change itself, on the CHW pixels at {@code offset}, drawing what it needs from {@code rng}. */
    abstract void change(float[] chw, int offset, int height, int width, SplitMix64 rng);
}
