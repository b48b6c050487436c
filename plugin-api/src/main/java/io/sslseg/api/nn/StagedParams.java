package io.sslseg.api.nn;

import java.util.List;

/**
 * Parameters of the {@link StagedBackbone} encoders {@code poolformer-*} and {@code convnext-*}: per-stage depths
 * and widths, a stem of stride 2 or 4, drop path, layer scale and a weights file (the config keys are the component
 * names). Each registered size brings its own defaults; any field can be overridden, e.g. {@code widths} to shrink
 * a published size.
 *
 * @param depths blocks per stage
 * @param widths channels per stage
 * @param stemStride 4: the published stem (output strides 4..32); 2: a stride-2 stem for 64x64 inputs (output
 *     strides 2..16). Each encoder documents its two stems.
 * @param dropPath the stochastic-depth rate of the last block; block i of n gets {@code dropPath * i / (n - 1)}
 * @param layerScaleInit initial value of every layer scale (each size's default is its reference's); 0 turns layer
 *     scale off
 * @param weights a DJL parameter file for exactly this configuration (null: random init)
 */
public record StagedParams(List<Integer> depths, List<Integer> widths, int stemStride, double dropPath,
        double layerScaleInit, String weights) {

    public StagedParams {
        StagedBackbone.checkStages(depths, widths);
        depths = List.copyOf(depths);
        widths = List.copyOf(widths);
        if (stemStride != 2 && stemStride != 4) {
            throw new IllegalArgumentException("stemStride must be 2 or 4, got " + stemStride);
        }
        if (!(dropPath >= 0 && dropPath < 1)) {
            throw new IllegalArgumentException("dropPath must be in [0, 1), got " + dropPath);
        }
        if (!(layerScaleInit >= 0) || Double.isInfinite(layerScaleInit)) {
            throw new IllegalArgumentException("layerScaleInit must be >= 0 (0: no layer scale), got "
                    + layerScaleInit);
        }
        if (weights != null && weights.isBlank()) {
            weights = null;
        }
    }

    /** The same configuration with other widths (tests shrink published sizes with this). */
    public StagedParams withWidths(List<Integer> newWidths) {
        return new StagedParams(depths, newWidths, stemStride, dropPath, layerScaleInit, weights);
    }

    /** The same configuration with another maximum drop-path rate. */
    public StagedParams withDropPath(double rate) {
        return new StagedParams(depths, widths, stemStride, rate, layerScaleInit, weights);
    }

    /** The same configuration reading its weights from {@code file}. */
    public StagedParams withWeights(String file) {
        return new StagedParams(depths, widths, stemStride, dropPath, layerScaleInit, file);
    }
}
