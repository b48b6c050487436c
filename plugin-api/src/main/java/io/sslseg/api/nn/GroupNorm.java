package io.sslseg.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.onnx.OnnxGraph;
import java.util.List;

/**
 * PyTorch's {@code GroupNorm(groups, C, eps)} on N x C x ... arrays, which DJL 0.36 lacks:
 * each sample's channels are split into {@code groups} consecutive groups, each normalised over its channels and
 * all positions (mean and biased variance), then a per-channel affine (weight 1, bias 0 at start). With one
 * group, PoolFormer's norm, each sample is normalised over C, H and W together.
 *
 * <p>Weight and bias have shape 1 x C x 1 x ... (not PyTorch's C) so they broadcast without a reshape, which
 * would put a new array in the parameters' manager at every step.
 */
public final class GroupNorm extends AbstractBlock implements OnnxExportable {
    private static final byte VERSION = 1;

    private final int groups;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    public GroupNorm(int groups, float eps) {
        super(VERSION);
        if (groups < 1) {
            throw new IllegalArgumentException("groups must be positive, got " + groups);
        }
        if (!(eps > 0f)) {
            throw new IllegalArgumentException("eps must be positive, got " + eps);
        }
        this.groups = groups;
        this.eps = eps;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA).build());
    }

    /** PoolFormer's norm: one group, eps 1e-5 (PyTorch's default). */
    public static GroupNorm oneGroup() {
        return new GroupNorm(1, 1e-5f);
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape affine = LayerScale.perChannelShape(in);
        if (in.get(1) % groups != 0) {
            throw new IllegalArgumentException(in.get(1) + " channels cannot be split into " + groups + " groups");
        }
        weight.setShape(affine);
        bias.setShape(affine);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        // One reduction axis per statistic: the engine's mean over several axes throws.
        NDArray grouped = x.reshape(shape.get(0), groups, -1);
        NDArray centered = grouped.sub(grouped.mean(new int[] {2}, true));
        NDArray variance = centered.square().mean(new int[] {2}, true);
        NDArray normalised = centered.div(variance.add(eps).sqrt()).reshape(shape);
        return new NDList(normalised.mul(ps.getValue(weight, x.getDevice(), training))
                .add(ps.getValue(bias, x.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
        return List.of(graph.groupNorm(inputs.get(0), groups, weight.getArray(), bias.getArray(), eps));
    }
}
