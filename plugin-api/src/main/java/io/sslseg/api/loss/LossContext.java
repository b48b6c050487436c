package io.sslseg.api.loss;

/** What a loss is built with. A class rather than a record so that it can grow without breaking plugins. */
public final class LossContext {
    private final int numClasses;

    public LossContext(int numClasses) {
        this.numClasses = numClasses;
    }

    public int numClasses() {
        return numClasses;
    }
}
