package io.sslseg.api.model;

import io.sslseg.api.ComponentFactory;

/** Registered under {@link io.sslseg.api.Components#ENCODER}. */
public interface EncoderFactory<P extends Record> extends ComponentFactory<P, EncoderContext, Encoder> {}
