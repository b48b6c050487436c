package io.sslseg.plugins.cct;

import static io.sslseg.api.nn.Layers.batchNorm;
import static io.sslseg.api.nn.Layers.conv2d;
import static io.sslseg.api.nn.Layers.relu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.nn.CompositeBlock;
import io.sslseg.api.onnx.OnnxGraph;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.nn.SpatialOps;
import java.util.ArrayList;
import java.util.List;

/**
 * CCT's PSP module: for each bin b, adaptive average pooling to b x b, 1x1 conv to
 * {@code in / bins} channels (no bias), BN, ReLU and bilinear upsampling back (align_corners=false); the input
 * and the branches are concatenated, then a 3x3 conv (no bias), BN and ReLU give z with {@code width} channels.
 * The reference has width = in / 4 (2048 -> 512). Conv weights keep PyTorch's default init, as there.
 */
public final class PspNeck extends CompositeBlock implements OnnxExportable {
    /** The reference's pyramid. */
    public static final List<Integer> BINS = List.of(1, 2, 3, 6);

    private final List<Integer> bins;
    private final List<Block> branches = new ArrayList<>();
    private final Block bottleneck;

    public PspNeck(int inChannels, int width, List<Integer> bins) {
        if (inChannels < bins.size() || width < 1) {
            throw new IllegalArgumentException("PSP needs at least " + bins.size() + " input channels and width >= 1, got "
                    + inChannels + " and " + width);
        }
        this.bins = List.copyOf(bins);
        int branchChannels = inChannels / bins.size();
        for (int b : bins) {
            branches.add(addChildBlock("bin" + b, new SequentialBlock()
                    .add(conv2d(branchChannels, 1, 1, 1, false)).add(batchNorm()).add(relu())));
        }
        bottleneck = addChildBlock("bottleneck", new SequentialBlock()
                .add(conv2d(width, 3, 1, 1, false)).add(batchNorm()).add(relu()));
        setInitializer(Layers.TORCH_DEFAULT_CONV, Parameter.Type.WEIGHT);
    }

    @Override
    protected Shape[] traceShapes(ShapeTrace trace, Shape[] in) {
        Shape x = in[0];
        long channels = x.get(1);
        for (int i = 0; i < bins.size(); i++) {
            int b = bins.get(i);
            channels += trace.through(branches.get(i), new Shape(x.get(0), x.get(1), b, b)).get(1);
        }
        return new Shape[] {trace.through(bottleneck, new Shape(x.get(0), channels, x.get(2), x.get(3)))};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        int h = (int) x.getShape().get(2), w = (int) x.getShape().get(3);
        NDList pyramid = new NDList(x);
        for (int i = 0; i < bins.size(); i++) {
            int b = bins.get(i);
            NDArray pooled = apply(branches.get(i), ps, SpatialOps.adaptiveAvgPool2d(x, b, b), training, params);
            pyramid.add(SpatialOps.resizeBilinear(pooled, h, w));
        }
        return new NDList(apply(bottleneck, ps, NDArrays.concat(pyramid, 1), training, params));
    }

    /** The pooling bins depend on the input size, so this needs a model exported for a fixed size. */
    @Override
    public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
        OnnxGraph.Value x = inputs.get(0);
        List<OnnxGraph.Value> pyramid = new ArrayList<>(List.of(x));
        for (int i = 0; i < bins.size(); i++) {
            int b = bins.get(i);
            OnnxGraph.Value pooled = graph.export("bin" + b, branches.get(i), graph.adaptiveAvgPool(x, b, b));
            pyramid.add(graph.resizeBilinear(pooled, x));
        }
        return List.of(graph.export("bottleneck", bottleneck, graph.concat(1, pyramid)));
    }
}
