package io.sslseg.api.model;

import ai.djl.nn.Block;

/**
 * A decoder made of a neck (encoder features to a shared representation z) and a head (z to logits), as
 * CCT's main decoder is: auxiliary decoders read z and copy the head's architecture.
 */
public interface TwoStageDecoder extends Decoder {
    /** Encoder output {@code NDList} to {@code NDList(z)}. */
    Block neck();

    /** {@code NDList(z)} to {@code NDList(logits)} at input resolution. */
    Block head();

    /** Channels of z. */
    int neckChannels();

    /** Stride of z relative to the input image. */
    int neckStride();

    /** A fresh head of the same architecture with its own weights (an auxiliary decoder). */
    Block newHead();
}
