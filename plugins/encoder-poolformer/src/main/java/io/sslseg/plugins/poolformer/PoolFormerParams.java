package io.sslseg.plugins.poolformer;

import io.sslseg.api.nn.StagedBackbone;
import java.util.List;

/**
 * Parameters of the {@code poolformer-*} encoders. Each registered size brings its own defaults; any field can be
 * overridden, e.g. {@code widths} to shrink a published size.
 *
 * @param depths blocks per stage
 * @param widths channels per stage
 * @param stemStride 4: the published patch embedding (7x7 conv, stride 4, padding 2; output strides 4..32); 2: the
 *     same conv with stride 2 and padding 3, for 64x64 inputs (extensions.md 3.4; output strides 2..16)
 * @param dropPath the stochastic-depth rate of the last block; block i of n gets {@code dropPath * i / (n - 1)}
 * @param layerScaleInit initial value of every layer scale (the references: 1e-5 for S12/S24, 1e-6 for
 *     S36/M36/M48); 0 turns layer scale off
 * @param weights a DJL parameter file for exactly this configuration (null: random init)
 */
public record PoolFormerParams(List<Integer> depths, List<Integer> widths, int stemStride, double dropPath,
        double layerScaleInit, String weights) {

    public PoolFormerParams {
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
    public PoolFormerParams withWidths(List<Integer> newWidths) {
        return new PoolFormerParams(depths, newWidths, stemStride, dropPath, layerScaleInit, weights);
    }

    /** The same configuration with another maximum drop-path rate. */
    public PoolFormerParams withDropPath(double rate) {
        return new PoolFormerParams(depths, widths, stemStride, rate, layerScaleInit, weights);
    }

    /** The same configuration reading its weights from {@code file}. */
    public PoolFormerParams withWeights(String file) {
        return new PoolFormerParams(depths, widths, stemStride, dropPath, layerScaleInit, file);
    }
}
