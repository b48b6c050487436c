package io.sslseg.api.loss;

import ai.djl.ndarray.NDArray;

/** A pixel-wise loss on labelled images. Pixels labelled 255 are ignored. */
public interface SupervisedLoss {
    /**
     * @param logits N x C x H x W
     * @param labels N x H x W, integer class ids, 255 = ignore
     * @return a scalar
     */
    NDArray compute(NDArray logits, NDArray labels, TrainingClock clock);
}
