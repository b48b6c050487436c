package io.sslseg.api.model;

/**
 * What the platform tells an encoder: the number of input channels (3 for RGB). A class rather than a record so
 * that it can grow (new accessors, new constructors) without breaking plugins compiled against this API.
 */
public final class EncoderContext {
    private final int inputChannels;

    public EncoderContext(int inputChannels) {
        this.inputChannels = inputChannels;
    }

    public int inputChannels() {
        return inputChannels;
    }
}
