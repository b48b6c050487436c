package io.sslseg.api.model;

/** What the platform tells an encoder: the number of input channels (3 for RGB). */
public record EncoderContext(int inputChannels) {}
