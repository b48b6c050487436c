package io.sslseg.api.model;

/**
 * What a decoder is built from: the encoder's published features and the dataset's class count. A class rather than
 * a record so that it can grow without breaking plugins compiled against this API.
 */
public final class DecoderContext {
    private final FeatureInfo features;
    private final int numClasses;

    public DecoderContext(FeatureInfo features, int numClasses) {
        this.features = features;
        this.numClasses = numClasses;
    }

    public FeatureInfo features() {
        return features;
    }

    public int numClasses() {
        return numClasses;
    }
}
