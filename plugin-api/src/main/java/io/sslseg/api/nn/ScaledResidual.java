package io.sslseg.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.onnx.OnnxGraph;
import java.util.List;

/**
 * {@code x + DropPath(LayerScale(branch(x)))}: the residual step of MetaFormer (PoolFormer) and ConvNeXt blocks.
 * The branch must keep the input's shape. A layer-scale init of 0 leaves the scale out, as both references do
 * when it is disabled.
 */
public final class ScaledResidual extends CompositeBlock implements OnnxExportable {
    private final Block branch;
    private final LayerScale scale; // null: no layer scale
    private final float dropPath;

    /**
     * @param layerScaleInit the initial per-channel scale (e.g. 1e-5 or 1e-6), or 0 for none
     * @param dropPath this block's stochastic-depth rate, in [0, 1)
     */
    public ScaledResidual(Block branch, float layerScaleInit, float dropPath) {
        if (!(layerScaleInit >= 0f)) {
            throw new IllegalArgumentException("layer scale init must be >= 0 (0: none), got " + layerScaleInit);
        }
        DropPath.checkRate(dropPath);
        this.branch = addChildBlock("branch", branch);
        this.scale = layerScaleInit == 0f ? null : addChildBlock("layerScale", new LayerScale(layerScaleInit));
        this.dropPath = dropPath;
    }

    public float dropPath() {
        return dropPath;
    }

    @Override
    protected Shape[] traceShapes(ShapeTrace trace, Shape[] in) {
        Shape out = trace.through(branch, in[0]);
        if (!out.equals(in[0])) {
            throw new IllegalArgumentException("a residual branch must keep the shape " + in[0] + ", it gives " + out);
        }
        if (scale != null) {
            trace.through(scale, out);
        }
        return new Shape[] {in[0]};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray r = apply(branch, ps, x, training, params);
        if (scale != null) {
            r = apply(scale, ps, r, training, params);
        }
        return new NDList(x.add(DropPath.drop(r, dropPath, training)));
    }

    /** Drop path is the identity at inference. */
    @Override
    public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
        OnnxGraph.Value x = inputs.get(0);
        OnnxGraph.Value r = graph.export("branch", branch, x);
        if (scale != null) {
            r = graph.export("layerScale", scale, r);
        }
        return List.of(graph.op("Add", x, r));
    }
}
