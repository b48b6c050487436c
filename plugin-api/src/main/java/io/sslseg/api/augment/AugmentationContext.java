package io.sslseg.api.augment;

/**
 * What an augmentation is built with. A class rather than a record so that it can grow without breaking plugins
 * compiled against an earlier API: new facts arrive as new methods.
 */
public final class AugmentationContext {
    private final int numClasses;

    private AugmentationContext(int numClasses) {
        this.numClasses = numClasses;
    }

    public static AugmentationContext of(int numClasses) {
        return new AugmentationContext(numClasses);
    }

    /** The dataset's classes (background included). */
    public int numClasses() {
        return numClasses;
    }
}
