package io.sslseg.api.model;

import java.util.List;

/**
 * What an encoder outputs: one feature map per stage, in the order of its output {@code NDList}.
 * Decoders are built from this alone, never from the encoder's class.
 */
public record FeatureInfo(List<Stage> stages) {

    /** One feature map: its channel count and its stride relative to the input image. */
    public record Stage(String name, int channels, int stride) {
        public Stage {
            if (channels <= 0 || stride <= 0) {
                throw new IllegalArgumentException("stage " + name + ": channels and stride must be positive");
            }
        }
    }

    public FeatureInfo {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("an encoder must publish at least one stage");
        }
        stages = List.copyOf(stages);
    }

    /** The deepest stage, the one single-input decoders read. */
    public Stage last() {
        return stages.get(stages.size() - 1);
    }

    /** Input sizes must be a multiple of this for the decoder to return logits at input resolution. */
    public int outputStride() {
        return last().stride();
    }
}
