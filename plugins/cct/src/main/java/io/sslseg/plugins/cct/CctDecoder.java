package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.nn.CompositeBlock;

/** PSP neck then upsampling head, on the encoder's deepest feature map (the last array of its output). */
public final class CctDecoder extends CompositeBlock {
    private final PspNeck neck;
    private final UpsampleHead head;

    public CctDecoder(PspNeck neck, UpsampleHead head) {
        this.neck = addChildBlock("psp", neck);
        this.head = addChildBlock("head", head);
    }

    public PspNeck neck() {
        return neck;
    }

    public UpsampleHead head() {
        return head;
    }

    @Override
    protected Shape[] traceShapes(ShapeTrace trace, Shape[] in) {
        return new Shape[] {trace.through(head, trace.through(neck, in[in.length - 1]))};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList z = neck.forward(ps, new NDList(inputs.get(inputs.size() - 1)), training, params);
        return head.forward(ps, z, training, params);
    }
}
