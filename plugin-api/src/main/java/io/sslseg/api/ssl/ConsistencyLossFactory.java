package io.sslseg.api.ssl;

import io.sslseg.api.ComponentFactory;

/** Registered under {@link io.sslseg.api.Components#CONSISTENCY_LOSS}; the context is the class count. */
public interface ConsistencyLossFactory<P extends Record> extends ComponentFactory<P, Integer, ConsistencyLoss> {}
