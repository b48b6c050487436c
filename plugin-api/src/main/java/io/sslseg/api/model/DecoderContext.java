package io.sslseg.api.model;

/** What a decoder is built from: the encoder's published features and the dataset's class count. */
public record DecoderContext(FeatureInfo features, int numClasses) {}
