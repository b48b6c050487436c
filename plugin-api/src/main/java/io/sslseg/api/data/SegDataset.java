package io.sslseg.api.data;

/** A segmentation dataset: its classes and its four splits (an absent split is {@link SampleList#EMPTY}). */
public interface SegDataset {
    DatasetInfo info();

    SampleList split(Split split);

    /**
     * The true mask of a sample whose split hides it (unlabelled or weak), when the dataset knows it; null
     * otherwise. Only reports read it (the quality of pseudo-labels); training never does.
     */
    default LabelMask referenceMask(Split split, int index) {
        return null;
    }
}
