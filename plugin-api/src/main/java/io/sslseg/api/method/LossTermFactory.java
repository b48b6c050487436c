package io.sslseg.api.method;

import io.sslseg.api.ComponentFactory;

/** Registered under {@link io.sslseg.api.Components#LOSS_TERM}. */
public interface LossTermFactory<P extends Record> extends ComponentFactory<P, LossTermContext, LossTerm> {}
