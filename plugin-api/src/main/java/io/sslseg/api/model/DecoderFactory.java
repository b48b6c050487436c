package io.sslseg.api.model;

import io.sslseg.api.ComponentFactory;

/** Registered under {@link io.sslseg.api.Components#DECODER}. */
public interface DecoderFactory<P extends Record> extends ComponentFactory<P, DecoderContext, Decoder> {}
