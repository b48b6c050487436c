package io.sslseg.plugins.resnet;

import static io.sslseg.api.nn.Layers.batchNorm;
import static io.sslseg.api.nn.Layers.conv2d;
import static io.sslseg.api.nn.Layers.relu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.nn.CompositeBlock;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.onnx.OnnxGraph;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.nn.ParameterFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A ResNet backbone without its classifier: stem (output stride 4, or 2 or 1 with the light stem), then four stages whose outputs are all
 * returned, as published by {@link #features()}. Dilation follows torchvision's
 * {@code replace_stride_with_dilation}: a stage that gives up its stride 2 doubles the dilation, and its first
 * block keeps the previous one.
 */
public final class ResNet extends CompositeBlock implements OnnxExportable {
    /** The three standard depths: blocks per stage and block type. */
    public enum Depth {
        R18(new int[] {2, 2, 2, 2}, false),
        R34(new int[] {3, 4, 6, 3}, false),
        R50(new int[] {3, 4, 6, 3}, true);

        final int[] blocks;
        final boolean bottleneck;

        Depth(int[] blocks, boolean bottleneck) {
            this.blocks = blocks;
            this.bottleneck = bottleneck;
        }
    }

    /** The encoder component of one depth ({@code resnet18}, {@code resnet34}, {@code resnet50}). */
    public static EncoderFactory<ResNetParams> factory(Depth depth) {
        return EncoderFactory.of(ResNetParams.class, ResNetParams.DEFAULTS,
                "ResNet-" + depth.name().substring(1) + (depth.bottleneck ? " (bottleneck" : " (basic")
                        + " blocks " + Arrays.toString(depth.blocks)
                        + "): base width, output stride 8/16/32 by dilation, deep or light stem, weights file",
                (params, context) -> encoder(depth, params));
    }

    /** Input channels need no plumbing: the stem conv takes them from the data at initialisation. */
    private static Encoder encoder(Depth depth, ResNetParams params) {
        ParameterFile.checkedPath(params.weights(), "resnet"); // a missing file fails now, naming it
        ResNet net = new ResNet(depth, params);
        return new ResNetEncoder(net, net.features());
    }

    private record ResNetEncoder(Block block, FeatureInfo features) implements Encoder {}

    private final Block stem;
    private final List<Block> stages = new ArrayList<>();
    private final FeatureInfo features;
    private final ParameterFile.Pending weights;

    public ResNet(Depth depth, ResNetParams p) {
        int w = p.width();
        SequentialBlock stemBlock = new SequentialBlock();
        if (p.deepStem()) {
            stemBlock.add(conv2d(w, 3, 2, 1, false)).add(batchNorm()).add(relu())
                    .add(conv2d(w, 3, 1, 1, false)).add(batchNorm()).add(relu())
                    .add(conv2d(2 * w, 3, 1, 1, false)).add(batchNorm()).add(relu());
        } else if (p.lightStem()) {
            stemBlock.add(conv2d(w, 3, p.lightStemStride(), 1, false)).add(batchNorm()).add(relu());
        } else {
            stemBlock.add(conv2d(w, 7, 2, 1, false)).add(batchNorm()).add(relu());
        }
        if (!p.lightStem()) {
            stemBlock.add(Layers.maxPool2d(3, 2, 1));
        }
        stem = addChildBlock("stem", stemBlock);

        int channels = p.deepStem() ? 2 * w : w;
        int stride = p.lightStem() ? p.lightStemStride() : 4;
        int dilation = 1;
        List<FeatureInfo.Stage> published = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            int planes = w << s;
            int blockStride = s == 0 ? 1 : 2;
            int firstDilation = dilation;
            if (blockStride == 2 && stride >= p.outputStride()) {
                dilation *= 2;
                blockStride = 1;
            }
            stride *= blockStride;
            SequentialBlock stage = new SequentialBlock();
            for (int b = 0; b < depth.blocks[s]; b++) {
                int st = b == 0 ? blockStride : 1;
                int d = b == 0 ? firstDilation : dilation;
                stage.add(depth.bottleneck
                        ? ResidualBlock.bottleneck(channels, planes, st, d)
                        : ResidualBlock.basic(channels, planes, st, d));
                channels = depth.bottleneck ? planes * ResidualBlock.BOTTLENECK_EXPANSION : planes;
            }
            String name = "layer" + (s + 1);
            stages.add(addChildBlock(name, stage));
            published.add(new FeatureInfo.Stage(name, channels, stride));
        }
        features = new FeatureInfo(published);
        weights = new ParameterFile.Pending(p.weights() == null ? null : Path.of(p.weights()));
        // torchvision's init; BN keeps gamma 1, beta 0.
        setInitializer(Layers.KAIMING_NORMAL_FAN_OUT, Parameter.Type.WEIGHT);
    }

    /** layer1..layer4: channels and stride of each output, in output order. */
    public FeatureInfo features() {
        return features;
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        super.initialize(manager, dataType, inputShapes);
        weights.loadInto(this, manager);
    }

    @Override
    protected Shape[] traceShapes(ShapeTrace trace, Shape[] in) {
        Shape x = trace.through(stem, in[0]);
        Shape[] out = new Shape[stages.size()];
        for (int i = 0; i < out.length; i++) {
            x = trace.through(stages.get(i), x);
            out[i] = x;
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = apply(stem, ps, inputs.singletonOrThrow(), training, params);
        NDList out = new NDList(stages.size());
        for (Block stage : stages) {
            x = apply(stage, ps, x, training, params);
            out.add(x);
        }
        return out;
    }

    @Override
    public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
        OnnxGraph.Value x = graph.export("stem", stem, inputs.get(0));
        List<OnnxGraph.Value> out = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            x = graph.export("layer" + (i + 1), stages.get(i), x);
            out.add(x);
        }
        return out;
    }
}
