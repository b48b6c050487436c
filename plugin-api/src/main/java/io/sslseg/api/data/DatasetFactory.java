package io.sslseg.api.data;

import io.sslseg.api.ComponentFactory;

/** Registered under {@link io.sslseg.api.Components#DATASET}. */
public interface DatasetFactory<P extends Record> extends ComponentFactory<P, DatasetContext, SegDataset> {}
