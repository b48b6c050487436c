package io.sslseg.api.data;

/** A segmentation dataset: its classes and its four splits (an absent split is {@link SampleList#EMPTY}). */
public interface SegDataset {
    DatasetInfo info();

    SampleList split(Split split);
}
