package io.sslseg.plugins.poolformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.nn.ConvMlp;
import io.sslseg.api.nn.DropPath;
import io.sslseg.api.nn.GroupNorm;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.nn.Pooling;
import io.sslseg.api.nn.ParameterFile;
import io.sslseg.api.nn.ScaledResidual;
import io.sslseg.api.nn.StagedBackbone;
import io.sslseg.api.nn.StagedParams;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * PoolFormer (MetaFormer with average pooling as token mixer; sail-sg/poolformer) as a
 * dense-prediction backbone ({@code fork_feat}): patch-embedding stem, four stages separated by overlapping 3x3
 * stride-2 convs, and a one-group GroupNorm on each stage's output; no classifier head.
 *
 * <p>Each block is {@code x + DropPath(ls1 * (pool(GN(x)) - GN(x)))} then {@code x + DropPath(ls2 * MLP(GN(x)))},
 * with a 3x3 stride-1 average pool that ignores the padding and an MLP of ratio 4.
 */
public final class PoolFormer {
    /** The MLP expands every published size (and the 64x64 one) by 4. */
    static final int MLP_RATIO = 4;

    /** Registered sizes: the published ones (ImageNet drop-path rates) and one for 64x64 inputs. */
    public enum Size {
        S12("poolformer-s12", List.of(2, 2, 6, 2), List.of(64, 128, 320, 512), 4, 0.1, 1e-5),
        S24("poolformer-s24", List.of(4, 4, 12, 4), List.of(64, 128, 320, 512), 4, 0.1, 1e-5),
        S36("poolformer-s36", List.of(6, 6, 18, 6), List.of(64, 128, 320, 512), 4, 0.2, 1e-6),
        M36("poolformer-m36", List.of(6, 6, 18, 6), List.of(96, 192, 384, 768), 4, 0.3, 1e-6),
        M48("poolformer-m48", List.of(8, 8, 24, 8), List.of(96, 192, 384, 768), 4, 0.4, 1e-6),
        /** "PoolFormer-XXS64": about 2.06 M parameters, stride-2 stem, feature grid 32..4 at 64. */
        XXS64("poolformer-xxs64", List.of(2, 2, 4, 2), List.of(32, 64, 128, 256), 2, 0.1, 1e-5);

        public final String id;
        public final StagedParams defaults;

        Size(String id, List<Integer> depths, List<Integer> widths, int stemStride, double dropPath, double ls) {
            this.id = id;
            this.defaults = new StagedParams(depths, widths, stemStride, dropPath, ls, null);
        }

        /** True for the sizes of the paper (stem stride 4), false for the scaled-down 64x64 one. */
        public boolean published() {
            return defaults.stemStride() == 4;
        }
    }

    private PoolFormer() {}

    /** The encoder component of one size. */
    public static EncoderFactory<StagedParams> factory(Size size) {
        StagedParams d = size.defaults;
        return EncoderFactory.of(StagedParams.class, d,
                "PoolFormer " + size.name() + " (MetaFormer, pooling token mixer; depths " + d.depths() + ", widths "
                        + d.widths() + ", stem stride " + d.stemStride()
                        + "): widths/depths, stem stride 2 or 4, drop path, layer scale, weights file",
                (params, context) -> build(params));
    }

    /**
     * The backbone of {@code p}. Stem stride 4 is the published patch embedding (7x7 conv, stride 4, padding 2); 2
     * is the same conv with stride 2 and padding 3, for 64x64 inputs. Layer scale starts at
     * {@code p.layerScaleInit()} (the references: 1e-5 for S12/S24, 1e-6 for S36/M36/M48); 0 turns it off. Input
     * channels need no plumbing: the stem conv takes them from the data at initialisation.
     */
    public static StagedBackbone build(StagedParams p) {
        int total = p.depths().stream().mapToInt(Integer::intValue).sum();
        float[] rates = DropPath.linearRates((float) p.dropPath(), total);
        float ls = (float) p.layerScaleInit();

        List<Block> convsWithTorchInit = new ArrayList<>();
        Block stem = patchEmbedding(p.widths().get(0), p.stemStride());
        convsWithTorchInit.add(stem);
        List<StagedBackbone.Stage> stages = new ArrayList<>();
        int stride = p.stemStride();
        int blockIndex = 0;
        for (int s = 0; s < p.depths().size(); s++) {
            int dim = p.widths().get(s);
            Block downsample = null;
            if (s > 0) {
                downsample = Layers.conv2d(dim, 3, 2, 1, true); // overlapping patch embedding, no norm
                convsWithTorchInit.add(downsample);
                stride *= 2;
            }
            SequentialBlock blocks = new SequentialBlock();
            for (int b = 0; b < p.depths().get(s); b++) {
                blocks.add(block(dim, ls, rates[blockIndex++]));
            }
            stages.add(new StagedBackbone.Stage("stage" + (s + 1), downsample, blocks, GroupNorm.oneGroup(), dim,
                    stride));
        }
        // The reference leaves stem and downsampling convs at PyTorch's default init (the MLP convs set their own).
        // Deviation: their biases start at 0 here, not at PyTorch's U(+-1/sqrt(fan_in)).
        for (Block conv : convsWithTorchInit) {
            conv.setInitializer(Layers.TORCH_DEFAULT_CONV, Parameter.Type.WEIGHT);
        }
        return new StagedBackbone(stem, stages, ParameterFile.checkedPath(p.weights(), "poolformer"));
    }

    /** 7x7 conv with bias, no norm: stride 4 padding 2 as published, or stride 2 padding 3. */
    static Conv2d patchEmbedding(int filters, int stride) {
        int padding = stride == 4 ? 2 : 3;
        return Layers.conv2d(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(7, 7))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(padding, padding)).optBias(true));
    }

    /** One PoolFormer block: token-mixer residual, then channel-MLP residual, sharing one drop-path rate. */
    static Block block(int dim, float layerScaleInit, float dropPath) {
        Block mixer = new SequentialBlock().add(GroupNorm.oneGroup()).add(Layers.function(PoolFormer::poolMixer,
                UnaryOperator.identity(), (graph, u) -> graph.op("Sub", graph.avgPoolExcludePad(u, 3, 1, 1), u)));
        Block mlp = new SequentialBlock().add(GroupNorm.oneGroup()).add(ConvMlp.create(dim, MLP_RATIO * dim));
        return new SequentialBlock()
                .add(new ScaledResidual(mixer, layerScaleInit, dropPath))
                .add(new ScaledResidual(mlp, layerScaleInit, dropPath));
    }

    /** {@code pool(u) - u}: the residual adds u back, so the block's mixing is the pool alone. */
    static NDArray poolMixer(NDArray u) {
        return Pooling.avgPool2dExcludePad(u, 3, 1, 1).sub(u);
    }
}
