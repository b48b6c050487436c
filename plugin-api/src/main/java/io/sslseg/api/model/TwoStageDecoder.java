package io.sslseg.api.model;

import ai.djl.nn.Block;
import java.util.function.Supplier;

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

    /**
     * A decoder from its neck and a maker of heads: the first head made is the main one, later ones are
     * {@link #newHead()}'s. Its {@link #block()} runs the neck then the main head (children named {@code neck} and
     * {@code head}).
     */
    static TwoStageDecoder of(Block neck, int neckChannels, int neckStride, Supplier<Block> newHead) {
        Block head = newHead.get();
        Block block = new NeckThenHead(neck, head);
        return new TwoStageDecoder() {
            @Override
            public Block block() {
                return block;
            }

            @Override
            public Block neck() {
                return neck;
            }

            @Override
            public Block head() {
                return head;
            }

            @Override
            public int neckChannels() {
                return neckChannels;
            }

            @Override
            public int neckStride() {
                return neckStride;
            }

            @Override
            public Block newHead() {
                return newHead.get();
            }
        };
    }
}
