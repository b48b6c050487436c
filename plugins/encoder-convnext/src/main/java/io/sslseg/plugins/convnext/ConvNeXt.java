package io.sslseg.plugins.convnext;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.nn.ChannelLayerNorm;
import io.sslseg.api.nn.ConvMlp;
import io.sslseg.api.nn.DropPath;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.nn.ParameterFile;
import io.sslseg.api.nn.ScaledResidual;
import io.sslseg.api.nn.StagedBackbone;
import io.sslseg.api.nn.StagedParams;
import java.util.ArrayList;
import java.util.List;

/**
 * ConvNeXt (facebookresearch/ConvNeXt; the atto..nano sizes are timm's) as a dense-prediction
 * backbone, as in the reference's segmentation code: patchify stem with a LayerNorm, four stages separated by
 * LayerNorm + 2x2 stride-2 convs, and a channels-first LayerNorm on each stage's output; no classifier head.
 *
 * <p>Each block is {@code x + DropPath(gamma * PW2(GELU(PW1(LN(DW7(x))))))}. The two pointwise layers are 1x1
 * convs on channels-first data (timm's {@code conv_mlp=True}) instead of the reference's Linear layers on
 * channels-last data: the same function and parameters, without two permutes per block.
 */
public final class ConvNeXt {
    /** Inverted-bottleneck expansion of every size. */
    static final int EXPANSION = 4;

    /** Registered sizes: the published ones and two for 64x64 inputs. */
    public enum Size {
        // Drop path: the reference's ImageNet rates for T/S/B; none is published for timm's atto..nano, which get
        // T's 0.1 here.
        ATTO("convnext-atto", List.of(2, 2, 6, 2), List.of(40, 80, 160, 320), 4, 0.1),
        FEMTO("convnext-femto", List.of(2, 2, 6, 2), List.of(48, 96, 192, 384), 4, 0.1),
        PICO("convnext-pico", List.of(2, 2, 6, 2), List.of(64, 128, 256, 512), 4, 0.1),
        NANO("convnext-nano", List.of(2, 2, 8, 2), List.of(80, 160, 320, 640), 4, 0.1),
        TINY("convnext-tiny", List.of(3, 3, 9, 3), List.of(96, 192, 384, 768), 4, 0.1),
        SMALL("convnext-small", List.of(3, 3, 27, 3), List.of(96, 192, 384, 768), 4, 0.4),
        BASE("convnext-base", List.of(3, 3, 27, 3), List.of(128, 256, 512, 1024), 4, 0.5),
        /** "ConvNeXt-Zepto64": about 1.90 M parameters, 2x2 stride-2 stem, grid 32..4 at 64. */
        ZEPTO64("convnext-zepto64", List.of(2, 2, 4, 2), List.of(32, 64, 128, 256), 2, 0.1),
        /** The larger 64 px option: atto's depths and widths with the stride-2 stem (3.37 M). */
        ATTO64("convnext-atto64", List.of(2, 2, 6, 2), List.of(40, 80, 160, 320), 2, 0.1);

        public final String id;
        public final StagedParams defaults;

        Size(String id, List<Integer> depths, List<Integer> widths, int stemStride, double dropPath) {
            this.id = id;
            this.defaults = new StagedParams(depths, widths, stemStride, dropPath, 1e-6, null);
        }

        /** True for the sizes of the paper and timm (stem stride 4), false for the scaled-down 64x64 ones. */
        public boolean published() {
            return defaults.stemStride() == 4;
        }
    }

    private ConvNeXt() {}

    /** The encoder component of one size. */
    public static EncoderFactory<StagedParams> factory(Size size) {
        StagedParams d = size.defaults;
        return EncoderFactory.of(StagedParams.class, d,
                "ConvNeXt " + size.name() + " (depths " + d.depths() + ", widths " + d.widths() + ", stem stride "
                        + d.stemStride() + "): widths/depths, stem stride 2 or 4, drop path, layer scale, weights file",
                (params, context) -> build(params));
    }

    /**
     * The backbone of {@code p}. Stem stride 4 is the published "patchify" stem (4x4 conv, stride 4); 2 is a 2x2
     * stride-2 one for 64x64 inputs. Layer scale starts at {@code p.layerScaleInit()} (1e-6 in
     * the reference when training from scratch); 0 turns it off, as the reference does for a value <= 0. Input
     * channels need no plumbing: the stem conv takes them from the data at initialisation.
     */
    public static StagedBackbone build(StagedParams p) {
        int total = p.depths().stream().mapToInt(Integer::intValue).sum();
        float[] rates = DropPath.linearRates((float) p.dropPath(), total);
        float ls = (float) p.layerScaleInit();

        int s0 = p.stemStride();
        Block stem = new SequentialBlock().add(conv(p.widths().get(0), s0, s0, 0, 1)).add(ChannelLayerNorm.convNext());
        List<StagedBackbone.Stage> stages = new ArrayList<>();
        int stride = s0;
        int blockIndex = 0;
        for (int s = 0; s < p.depths().size(); s++) {
            int dim = p.widths().get(s);
            Block downsample = null;
            if (s > 0) {
                downsample = new SequentialBlock().add(ChannelLayerNorm.convNext()).add(conv(dim, 2, 2, 0, 1));
                stride *= 2;
            }
            SequentialBlock blocks = new SequentialBlock();
            for (int b = 0; b < p.depths().get(s); b++) {
                blocks.add(block(dim, ls, rates[blockIndex++]));
            }
            stages.add(new StagedBackbone.Stage("stage" + (s + 1), downsample, blocks, ChannelLayerNorm.convNext(),
                    dim, stride));
        }
        StagedBackbone net = new StagedBackbone(stem, stages, ParameterFile.checkedPath(p.weights(), "convnext"));
        // The reference's init for every conv and linear: trunc_normal(std .02), bias 0 (DJL's bias default).
        net.setInitializer(ConvMlp.WEIGHT_INIT, Parameter.Type.WEIGHT);
        return net;
    }

    /** One block: depthwise 7x7, LayerNorm, inverted-bottleneck MLP, layer scale and drop path on the residual. */
    static Block block(int dim, float layerScaleInit, float dropPath) {
        Block branch = new SequentialBlock()
                .add(conv(dim, 7, 1, 3, dim))
                .add(ChannelLayerNorm.convNext())
                .add(ConvMlp.create(dim, EXPANSION * dim));
        return new ScaledResidual(branch, layerScaleInit, dropPath);
    }

    private static Conv2d conv(int filters, int kernel, int stride, int padding, int groups) {
        return Layers.conv2d(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(padding, padding)).optGroups(groups)
                .optBias(true));
    }
}
