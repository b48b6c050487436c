package io.sslseg.api.model;

import ai.djl.nn.Block;

/**
 * A segmentation head. Its block takes the encoder's output {@code NDList} and returns
 * {@code NDList(logits N x C x H x W)} at the input resolution.
 */
public interface Decoder {
    Block block();
}
