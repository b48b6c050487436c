package io.sslseg.api.data;

/** The four sample streams a run can draw from. */
public enum Split {
    /** Pixel-labelled training images: every sample has a mask. */
    LABELED,
    /** Training images used without any label. */
    UNLABELED,
    /** Training images with image-level tags only. */
    WEAK,
    /** Evaluation images: every sample has a mask. */
    VAL
}
