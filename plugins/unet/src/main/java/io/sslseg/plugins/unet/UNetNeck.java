package io.sslseg.plugins.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.nn.CompositeBlock;
import io.sslseg.api.nn.SpatialOps;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.onnx.OnnxGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * The U-Net's expanding path up to the encoder's finest stage: starting from the deepest stage, each level
 * upsamples bilinearly to the next finer skip stage, concatenates it and applies 3x3 convs. Its output is z,
 * the representation CCT's auxiliary decoders read.
 */
final class UNetNeck extends CompositeBlock implements OnnxExportable {
    private final int deepest;
    private final int[] skips;
    private final List<Block> levels = new ArrayList<>();

    /**
     * @param deepest index of the encoder stage the path starts from
     * @param skips indices of the stages fused, coarse to fine (may be empty: then z is convs on the deepest)
     * @param channels output channels of each level (one per skip, or one when there are none)
     */
    UNetNeck(int deepest, int[] skips, int[] channels, int convs) {
        this.deepest = deepest;
        this.skips = skips.clone();
        for (int i = 0; i < channels.length; i++) {
            levels.add(addChildBlock("level" + (i + 1), ConvLayers.of(convs, channels[i])));
        }
    }

    @Override
    protected Shape[] traceShapes(ShapeTrace trace, Shape[] in) {
        Shape x = in[deepest];
        if (skips.length == 0) {
            return new Shape[] {trace.through(levels.get(0), x)};
        }
        for (int i = 0; i < skips.length; i++) {
            Shape s = in[skips[i]];
            x = trace.through(levels.get(i), new Shape(x.get(0), x.get(1) + s.get(1), s.get(2), s.get(3)));
        }
        return new Shape[] {x};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(deepest);
        if (skips.length == 0) {
            return new NDList(apply(levels.get(0), ps, x, training, params));
        }
        for (int i = 0; i < skips.length; i++) {
            NDArray s = inputs.get(skips[i]);
            NDArray up = SpatialOps.resizeBilinearChannelsLast(x, (int) s.getShape().get(2), (int) s.getShape().get(3));
            x = apply(levels.get(i), ps, NDArrays.concat(new NDList(up, s), 1), training, params);
        }
        return new NDList(x);
    }

    @Override
    public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
        OnnxGraph.Value x = inputs.get(deepest);
        if (skips.length == 0) {
            return List.of(graph.export("level1", levels.get(0), x));
        }
        for (int i = 0; i < skips.length; i++) {
            OnnxGraph.Value s = inputs.get(skips[i]);
            OnnxGraph.Value up = graph.resizeBilinear(x, s);
            x = graph.export("level" + (i + 1), levels.get(i), graph.concat(1, List.of(up, s)));
        }
        return List.of(x);
    }
}
