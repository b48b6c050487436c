package io.sslseg.api.loss;

import io.sslseg.api.ComponentFactory;

/** Registered under {@link io.sslseg.api.Components#SUPERVISED_LOSS}. */
public interface SupervisedLossFactory<P extends Record> extends ComponentFactory<P, LossContext, SupervisedLoss> {}
