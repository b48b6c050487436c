package io.sslseg.api.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.nn.CompositeBlock;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.onnx.OnnxGraph;
import java.util.List;

/** A {@link TwoStageDecoder}'s whole block: the neck's z through the head. */
final class NeckThenHead extends CompositeBlock implements OnnxExportable {
    private final Block neck;
    private final Block head;

    NeckThenHead(Block neck, Block head) {
        this.neck = addChildBlock("neck", neck);
        this.head = addChildBlock("head", head);
    }

    @Override
    protected Shape[] traceShapes(ShapeTrace trace, Shape[] in) {
        return trace.through(head, trace.through(neck, in));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return head.forward(ps, neck.forward(ps, inputs, training, params), training, params);
    }

    @Override
    public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
        return graph.export("head", head, graph.export("neck", neck, inputs));
    }
}
