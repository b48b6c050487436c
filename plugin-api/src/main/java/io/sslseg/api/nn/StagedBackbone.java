package io.sslseg.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.onnx.OnnxGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A hierarchical backbone as both PoolFormer and ConvNeXt build it: a stem, then stages that each downsample
 * (except, usually, the first), run their blocks and return one feature map, optionally through an output norm
 * (the dense-prediction norms of both references). It is its own {@link Encoder}: its outputs are the stages'
 * maps in order, as {@link #features()} publishes them. An optional DJL parameter file replaces the initial
 * weights when the block is initialised (via {@link ParameterFile}, which names any mismatching parameter).
 */
public final class StagedBackbone extends CompositeBlock implements Encoder, OnnxExportable {

    /**
     * One stage.
     *
     * @param downsample applied before the blocks; null for none
     * @param blocks the stage's blocks, keeping the shape
     * @param outputNorm applied to the published map only (the next stage reads the un-normalised one); null for none
     * @param channels output channels, as published
     * @param stride output stride relative to the input image, as published
     */
    public record Stage(String name, Block downsample, Block blocks, Block outputNorm, int channels, int stride) {
        public Stage {
            if (blocks == null) {
                throw new IllegalArgumentException("stage " + name + " needs its blocks");
            }
        }
    }

    private final Block stem;
    private final List<Block> downsamples = new ArrayList<>();
    private final List<Block> bodies = new ArrayList<>();
    private final List<Block> outputNorms = new ArrayList<>();
    private final FeatureInfo features;
    private final ParameterFile.Pending weights;

    /** @param weights a parameter file for exactly this configuration, or null for the initial weights */
    public StagedBackbone(Block stem, List<Stage> stages, Path weights) {
        this.stem = addChildBlock("stem", stem);
        List<FeatureInfo.Stage> published = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            String n = Integer.toString(i + 1);
            downsamples.add(s.downsample() == null ? null : addChildBlock("downsample" + n, s.downsample()));
            bodies.add(addChildBlock("stage" + n, s.blocks()));
            outputNorms.add(s.outputNorm() == null ? null : addChildBlock("outputNorm" + n, s.outputNorm()));
            published.add(new FeatureInfo.Stage(s.name(), s.channels(), s.stride()));
        }
        this.features = new FeatureInfo(published);
        this.weights = new ParameterFile.Pending(weights);
    }

    /**
     * Validates per-stage depths and widths (as many of each, at least one stage, all positive), for the
     * compact constructors of parameter records.
     */
    public static void checkStages(List<Integer> depths, List<Integer> widths) {
        if (depths == null || widths == null || depths.isEmpty() || depths.size() != widths.size()) {
            throw new IllegalArgumentException("depths and widths need one entry per stage, as many of each; got "
                    + depths + " and " + widths);
        }
        for (int i = 0; i < depths.size(); i++) {
            if (depths.get(i) == null || depths.get(i) < 1 || widths.get(i) == null || widths.get(i) < 1) {
                throw new IllegalArgumentException("depths and widths must be positive, got " + depths + " and "
                        + widths);
            }
        }
    }

    @Override
    public Block block() {
        return this;
    }

    @Override
    public FeatureInfo features() {
        return features;
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        super.initialize(manager, dataType, inputShapes);
        weights.loadInto(this, manager);
    }

    @Override
    protected Shape[] traceShapes(ShapeTrace trace, Shape[] in) {
        Shape x = trace.through(stem, in[0]);
        Shape[] out = new Shape[bodies.size()];
        for (int i = 0; i < out.length; i++) {
            if (downsamples.get(i) != null) {
                x = trace.through(downsamples.get(i), x);
            }
            x = trace.through(bodies.get(i), x);
            out[i] = outputNorms.get(i) == null ? x : trace.through(outputNorms.get(i), x);
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = apply(stem, ps, inputs.singletonOrThrow(), training, params);
        NDList out = new NDList(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            if (downsamples.get(i) != null) {
                x = apply(downsamples.get(i), ps, x, training, params);
            }
            x = apply(bodies.get(i), ps, x, training, params);
            out.add(outputNorms.get(i) == null ? x : apply(outputNorms.get(i), ps, x, training, params));
        }
        return out;
    }

    @Override
    public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
        OnnxGraph.Value x = graph.export("stem", stem, inputs.get(0));
        List<OnnxGraph.Value> out = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            String n = Integer.toString(i + 1);
            if (downsamples.get(i) != null) {
                x = graph.export("downsample" + n, downsamples.get(i), x);
            }
            x = graph.export("stage" + n, bodies.get(i), x);
            out.add(outputNorms.get(i) == null ? x : graph.export("outputNorm" + n, outputNorms.get(i), x));
        }
        return out;
    }
}
