package io.sslseg.api.ssl;

import ai.djl.ndarray.NDArray;

/** Distance between an auxiliary decoder's prediction and the main decoder's (a fixed target). */
public interface ConsistencyLoss {
    /**
     * @param auxLogits N x C x H x W, part of the graph
     * @param targetProbs N x C x H x W softmax of the main decoder's logits, detached
     * @return a scalar
     */
    NDArray compute(NDArray auxLogits, NDArray targetProbs);
}
