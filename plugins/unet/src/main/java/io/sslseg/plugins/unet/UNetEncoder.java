package io.sslseg.plugins.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.nn.CompositeBlock;
import io.sslseg.api.nn.Layers;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code unet}: a U-Net's contracting path (Ronneberger et al. 2015). Level 1 runs 3x3 convs at full
 * resolution; each further level max-pools by 2 and doubles the channels. Every level is a published stage, so
 * the {@code unet} decoder gets a skip at every resolution, the input's included.
 */
public final class UNetEncoder extends CompositeBlock implements Encoder {
    private final List<Block> levels = new ArrayList<>();
    private final Block pool = Layers.maxPool2d(2, 2, 0);
    private final FeatureInfo features;

    public static EncoderFactory<UNetEncoderParams> factory() {
        return EncoderFactory.of(UNetEncoderParams.class, UNetEncoderParams.DEFAULTS,
                "U-Net contracting path: per level 3x3 conv-BN-ReLU layers, 2x2 max-pool between levels, channels"
                        + " doubling; every level is a stage (strides 1, 2, 4, ...)",
                (params, context) -> new UNetEncoder(params));
    }

    UNetEncoder(UNetEncoderParams p) {
        List<FeatureInfo.Stage> stages = new ArrayList<>();
        for (int i = 0; i < p.levels(); i++) {
            String name = "level" + (i + 1);
            levels.add(addChildBlock(name, ConvLayers.of(p.convs(), p.width() << i)));
            stages.add(new FeatureInfo.Stage(name, p.width() << i, 1 << i));
        }
        features = new FeatureInfo(stages);
    }

    @Override
    public Block block() {
        return this;
    }

    @Override
    public FeatureInfo features() {
        return features;
    }

    @Override
    protected Shape[] traceShapes(ShapeTrace trace, Shape[] in) {
        Shape[] out = new Shape[levels.size()];
        Shape x = in[0];
        for (int i = 0; i < out.length; i++) {
            x = trace.through(levels.get(i), i == 0 ? x : pool.getOutputShapes(new Shape[] {x})[0]);
            out[i] = x;
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList out = new NDList(levels.size());
        NDArray x = inputs.singletonOrThrow();
        for (int i = 0; i < levels.size(); i++) {
            x = apply(levels.get(i), ps, i == 0 ? x : apply(pool, ps, x, training, params), training, params);
            out.add(x);
        }
        return out;
    }
}
