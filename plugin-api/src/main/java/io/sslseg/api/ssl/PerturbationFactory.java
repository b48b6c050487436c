package io.sslseg.api.ssl;

import io.sslseg.api.ComponentFactory;

/** Registered under {@link io.sslseg.api.Components#PERTURBATION}; the context is the class count. */
public interface PerturbationFactory<P extends Record> extends ComponentFactory<P, Integer, Perturbation> {}
