package io.sslseg.plugins.unet;

import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.nn.SpatialOps;
import io.sslseg.api.nn.StagedBackbone;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code unet}: a U-Net's contracting path (Ronneberger et al. 2015) as a {@link StagedBackbone}. Level 1 runs
 * 3x3 convs at full resolution; each further level max-pools by 2 and doubles the channels. Every level is a
 * published stage, so the {@code unet} decoder gets a skip at every resolution, the input's included.
 */
public final class UNetEncoder {
    private UNetEncoder() {}

    public static EncoderFactory<UNetEncoderParams> factory() {
        return EncoderFactory.of(UNetEncoderParams.class, UNetEncoderParams.DEFAULTS,
                "U-Net contracting path: per level 3x3 conv-BN-ReLU layers, 2x2 max-pool between levels, channels"
                        + " doubling; every level is a stage (strides 1, 2, 4, ...)",
                (params, context) -> create(params));
    }

    static StagedBackbone create(UNetEncoderParams p) {
        List<StagedBackbone.Stage> stages = new ArrayList<>();
        for (int i = 0; i < p.levels(); i++) {
            stages.add(new StagedBackbone.Stage("level" + (i + 1), i == 0 ? null : Layers.maxPool2d(2, 2, 0),
                    ConvLayers.of(p.convs(), p.width() << i), null, p.width() << i, 1 << i));
        }
        // no stem: the input goes to level 1 as it is, only laid out channels-last (SpatialOps.channelsLast), which
        // every layer after it keeps and oneDNN's convolutions read without reordering (a layout, so nothing in ONNX)
        return new StagedBackbone(Layers.function(SpatialOps::channelsLast, UnaryOperator.identity(), (graph, x) -> x),
                stages, null);
    }
}
