package io.sslseg.api.weak;

import io.sslseg.api.data.LabelMask;

/**
 * Turns image-level tags into pixel pseudo-labels (class ids, 255 where unsure) for every sample of the
 * weak split, e.g. through class activation maps. The platform stores them in the run folder and trains
 * on them wherever a loss term draws the weak split.
 */
public interface PseudoLabeler {

    /** Receives one sample's pseudo-label, by its index in {@link PseudoLabelContext#samples()}. */
    interface Sink {
        void accept(int index, LabelMask mask);
    }

    /** Labels every sample of {@code context.samples()}, each exactly once, reporting progress. */
    void label(PseudoLabelContext context, Sink sink);
}
