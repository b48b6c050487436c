package io.sslseg.plugins.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.nn.CompositeBlock;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.nn.SpatialOps;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.onnx.OnnxGraph;
import java.util.List;

/**
 * z to logits at input resolution. With {@code headConvs > 0}: upsample z bilinearly to the input, 3x3 convs
 * there, then a 1x1 conv to the classes, so outlines are drawn at full resolution. With 0: the 1x1 conv on z
 * and bilinear upsampling of the logits.
 */
final class UNetHead extends CompositeBlock implements OnnxExportable {
    private final int upscale;
    private final Block convs;
    private final Block classifier;

    UNetHead(int numClasses, int upscale, int width, int headConvs) {
        this.upscale = upscale;
        this.convs = headConvs == 0 ? null : addChildBlock("convs", ConvLayers.of(headConvs, width));
        Conv2d conv = Layers.conv2d(numClasses, 1, 1, 1, true);
        conv.setInitializer(Layers.TORCH_DEFAULT_CONV, Parameter.Type.WEIGHT);
        this.classifier = addChildBlock("classifier", conv);
    }

    @Override
    protected Shape[] traceShapes(ShapeTrace trace, Shape[] in) {
        Shape z = in[0];
        Shape full = new Shape(z.get(0), z.get(1), z.get(2) * upscale, z.get(3) * upscale);
        if (convs == null) {
            Shape logits = trace.through(classifier, z);
            return new Shape[] {new Shape(logits.get(0), logits.get(1), full.get(2), full.get(3))};
        }
        return new Shape[] {trace.through(classifier, trace.through(convs, full))};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray z = inputs.singletonOrThrow();
        int h = (int) z.getShape().get(2) * upscale;
        int w = (int) z.getShape().get(3) * upscale;
        if (convs == null) {
            return new NDList(resize(apply(classifier, ps, z, training, params), h, w));
        }
        NDArray x = apply(convs, ps, resize(z, h, w), training, params);
        return new NDList(apply(classifier, ps, x, training, params));
    }

    private NDArray resize(NDArray x, int h, int w) {
        return upscale == 1 ? x : SpatialOps.resizeBilinear(x, h, w);
    }

    @Override
    public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
        OnnxGraph.Value z = inputs.get(0);
        if (convs == null) {
            return List.of(upsample(graph, graph.export("classifier", classifier, z)));
        }
        OnnxGraph.Value x = graph.export("convs", convs, upsample(graph, z));
        return List.of(graph.export("classifier", classifier, x));
    }

    private OnnxGraph.Value upsample(OnnxGraph graph, OnnxGraph.Value x) {
        return upscale == 1 ? x : graph.resizeBilinear(x, upscale);
    }
}
