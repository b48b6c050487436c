package io.sslseg.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.util.Arrays;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.onnx.OnnxGraph;
import java.util.List;

/**
 * A learnable per-channel scale on N x C x ... arrays (CaiT's layer scale, PoolFormer's {@code layer_scale},
 * ConvNeXt's {@code gamma}), every entry starting at {@code initValue} (the references use 1e-5 or 1e-6), so a
 * residual branch starts almost switched off.
 *
 * <p>The scale has shape 1 x C x 1 x ... rather than PyTorch's C, so that it broadcasts against the activations
 * without a reshape (a reshaped parameter would be a new array in the parameters' manager). Its type is OTHER
 * so that a {@code setInitializer(..., WEIGHT/GAMMA)} on an enclosing block cannot overwrite the constant.
 */
public final class LayerScale extends AbstractBlock implements OnnxExportable {
    private static final byte VERSION = 1;

    private final float initValue;
    private final Parameter gamma;

    public LayerScale(float initValue) {
        super(VERSION);
        if (!(initValue > 0f) || Float.isInfinite(initValue)) {
            throw new IllegalArgumentException("layer scale init value must be positive and finite, got " + initValue);
        }
        this.initValue = initValue;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(initValue)).build());
    }

    public float initValue() {
        return initValue;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        gamma.setShape(perChannelShape(inputShapes[0]));
    }

    /** 1 x C x 1 x ... for an N x C x ... input: what per-channel parameters look like here. */
    static Shape perChannelShape(Shape input) {
        if (input.dimension() < 2) {
            throw new IllegalArgumentException("expected N x C x ..., got " + input);
        }
        long[] dims = new long[input.dimension()];
        Arrays.fill(dims, 1);
        dims[1] = input.get(1);
        return new Shape(dims);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(x.mul(ps.getValue(gamma, x.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
        return List.of(graph.op("Mul", inputs.get(0), graph.floats("gamma", gamma.getArray())));
    }
}
