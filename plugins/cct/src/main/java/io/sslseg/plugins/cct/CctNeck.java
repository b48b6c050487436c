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
import java.util.List;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.nn.SpatialOps;

/**
 * What CCT's auxiliary decoders read: z, from the encoder's whole output. The reference's z is the PSP
 * module on the deepest stage. sslseg's option {@code skipStage} (a DeepLabv3+-style refinement, not in the
 * reference) upsamples that z to an earlier, finer stage, concatenates the stage reduced to
 * {@link #SKIP_CHANNELS} channels and fuses them with a 3x3 conv: on 64x64 images the stride-8 grid is 8x8,
 * too coarse for object outlines when nothing is pretrained.
 */
final class CctNeck extends CompositeBlock implements OnnxExportable {
    static final int SKIP_CHANNELS = 32;

    private final PspNeck psp;
    private final int skipStage;
    private final Block skipReduce;
    private final Block fuse;

    /** @param skipStage index of the encoder stage to fuse, or -1 for the reference (PSP alone) */
    CctNeck(PspNeck psp, int skipStage, int width) {
        this.psp = addChildBlock("psp", psp);
        this.skipStage = skipStage;
        if (skipStage < 0) {
            skipReduce = null;
            fuse = null;
        } else {
            skipReduce = addChildBlock("skip", new SequentialBlock()
                    .add(conv2d(SKIP_CHANNELS, 1, 1, 1, false)).add(batchNorm()).add(relu()));
            fuse = addChildBlock("fuse", new SequentialBlock()
                    .add(conv2d(width, 3, 1, 1, false)).add(batchNorm()).add(relu()));
            skipReduce.setInitializer(Layers.TORCH_DEFAULT_CONV, Parameter.Type.WEIGHT);
            fuse.setInitializer(Layers.TORCH_DEFAULT_CONV, Parameter.Type.WEIGHT);
        }
    }

    @Override
    protected Shape[] traceShapes(ShapeTrace trace, Shape[] in) {
        Shape z = trace.through(psp, in[in.length - 1]);
        if (skipStage < 0) {
            return new Shape[] {z};
        }
        Shape s = trace.through(skipReduce, in[skipStage]);
        return new Shape[] {trace.through(fuse, new Shape(z.get(0), z.get(1) + s.get(1), s.get(2), s.get(3)))};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray z = apply(psp, ps, inputs.get(inputs.size() - 1), training, params);
        if (skipStage < 0) {
            return new NDList(z);
        }
        NDArray s = apply(skipReduce, ps, inputs.get(skipStage), training, params);
        NDArray up = SpatialOps.resizeBilinear(z, (int) s.getShape().get(2), (int) s.getShape().get(3));
        return new NDList(apply(fuse, ps, NDArrays.concat(new NDList(up, s), 1), training, params));
    }

    @Override
    public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
        OnnxGraph.Value z = graph.export("psp", psp, inputs.get(inputs.size() - 1));
        if (skipStage < 0) {
            return List.of(z);
        }
        OnnxGraph.Value s = graph.export("skip", skipReduce, inputs.get(skipStage));
        return List.of(graph.export("fuse", fuse, graph.concat(1, List.of(graph.resizeBilinear(z, s), s))));
    }
}
