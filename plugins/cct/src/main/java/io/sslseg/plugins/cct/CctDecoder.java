package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.nn.CompositeBlock;

/** The neck (PSP on the deepest stage, optionally fused with a finer one) then the upsampling head. */
public final class CctDecoder extends CompositeBlock {
    private final CctNeck neck;
    private final UpsampleHead head;

    CctDecoder(CctNeck neck, UpsampleHead head) {
        this.neck = addChildBlock("neck", neck);
        this.head = addChildBlock("head", head);
    }

    CctNeck neck() {
        return neck;
    }

    public UpsampleHead head() {
        return head;
    }

    @Override
    protected Shape[] traceShapes(ShapeTrace trace, Shape[] in) {
        return new Shape[] {trace.through(head, trace.through(neck, in)[0])};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList z = neck.forward(ps, inputs, training, params);
        return head.forward(ps, z, training, params);
    }
}
