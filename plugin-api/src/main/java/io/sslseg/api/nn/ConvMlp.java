package io.sslseg.api.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import io.sslseg.api.onnx.OnnxGraph;
import java.util.function.UnaryOperator;

/**
 * The channel MLP of MetaFormer and ConvNeXt blocks on N x C x H x W: 1x1 conv C -> hidden, GELU (exact, erf),
 * 1x1 conv hidden -> C, both with bias (timm's {@code Mlp} with 1x1 convs; ConvNeXt's two {@code Linear}s on
 * channels-last data compute the same). No dropout: both references default to 0.
 */
public final class ConvMlp {
    /**
     * Both references' {@code trunc_normal_(std=.02)}: timm truncates at +-2 absolute, i.e. +-100 std, so it is a
     * plain N(0, 0.02). DJL's {@code TruncatedNormalInitializer} cuts at +-2 std, which shrinks the std by 12%.
     */
    public static final Initializer WEIGHT_INIT = new NormalInitializer(0.02f);

    private ConvMlp() {}

    /** The two convs take {@link #WEIGHT_INIT} and zero biases, as in both references. */
    public static Block create(int channels, int hidden) {
        if (channels < 1 || hidden < 1) {
            throw new IllegalArgumentException("channels and hidden width must be positive, got " + channels + ", "
                    + hidden);
        }
        SequentialBlock mlp = new SequentialBlock()
                .add(pointwise(hidden))
                .add(gelu())
                .add(pointwise(channels));
        mlp.setInitializer(WEIGHT_INIT, Parameter.Type.WEIGHT);
        return mlp;
    }

    /** GELU as a block with a fixed shape rule (DJL's geluBlock infers shapes by running on the default engine). */
    public static Block gelu() {
        return Layers.function(Activation::gelu, UnaryOperator.identity(), OnnxGraph::gelu);
    }

    private static Conv2d pointwise(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(1, 1)).optBias(true).build();
    }
}
