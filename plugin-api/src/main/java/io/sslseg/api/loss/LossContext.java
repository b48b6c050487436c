package io.sslseg.api.loss;

/** What a loss is built with. */
public record LossContext(int numClasses) {}
