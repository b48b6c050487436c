package io.sslseg.plugins.resnet;

import static io.sslseg.api.nn.Layers.batchNorm;
import static io.sslseg.api.nn.Layers.conv2d;
import static io.sslseg.api.nn.Layers.relu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.nn.CompositeBlock;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.onnx.OnnxGraph;
import java.util.List;

/** {@code relu(residual(x) + shortcut(x))}; the shortcut is the identity unless stride or width changes. */
final class ResidualBlock extends CompositeBlock implements OnnxExportable {
    static final int BOTTLENECK_EXPANSION = 4;

    private final Block residual;
    private final Block shortcut; // null: identity

    private ResidualBlock(Block residual, Block shortcut) {
        this.residual = addChildBlock("residual", residual);
        this.shortcut = shortcut == null ? null : addChildBlock("shortcut", shortcut);
    }

    /** Two 3x3 convs; unlike torchvision's, dilation is allowed (both convs get padding = dilation). */
    static ResidualBlock basic(int inChannels, int planes, int stride, int dilation) {
        SequentialBlock r = new SequentialBlock()
                .add(conv2d(planes, 3, stride, dilation, false)).add(batchNorm()).add(relu())
                .add(conv2d(planes, 3, 1, dilation, false)).add(batchNorm());
        return new ResidualBlock(r, projection(inChannels, planes, stride));
    }

    /** 1x1 -> 3x3 -> 1x1 (x4), with the stride on the 3x3 (ResNet v1.5, torchvision and CCT). */
    static ResidualBlock bottleneck(int inChannels, int planes, int stride, int dilation) {
        int out = planes * BOTTLENECK_EXPANSION;
        SequentialBlock r = new SequentialBlock()
                .add(conv2d(planes, 1, 1, 1, false)).add(batchNorm()).add(relu())
                .add(conv2d(planes, 3, stride, dilation, false)).add(batchNorm()).add(relu())
                .add(conv2d(out, 1, 1, 1, false)).add(batchNorm());
        return new ResidualBlock(r, projection(inChannels, out, stride));
    }

    private static Block projection(int inChannels, int outChannels, int stride) {
        if (stride == 1 && inChannels == outChannels) {
            return null;
        }
        return new SequentialBlock().add(conv2d(outChannels, 1, stride, 1, false)).add(batchNorm());
    }

    @Override
    protected Shape[] traceShapes(ShapeTrace trace, Shape[] in) {
        if (shortcut != null) {
            trace.through(shortcut, in);
        }
        return trace.through(residual, in);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray identity = shortcut == null ? x : apply(shortcut, ps, x, training, params);
        return new NDList(Activation.relu(apply(residual, ps, x, training, params).add(identity)));
    }

    @Override
    public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
        OnnxGraph.Value x = inputs.get(0);
        OnnxGraph.Value identity = shortcut == null ? x : graph.export("shortcut", shortcut, x);
        return List.of(graph.relu(graph.op("Add", graph.export("residual", residual, x), identity)));
    }
}
