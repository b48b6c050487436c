package io.sslseg.plugins.cct;

/** The parameters of a component that has none. */
public record NoParams() {}
