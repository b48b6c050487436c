package io.sslseg.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.onnx.OnnxGraph;
import java.util.List;

/**
 * A LayerNorm over the channels of N x C x ... arrays ("channels-first", ConvNeXt's {@code LayerNorm} with
 * {@code data_format="channels_first"}): every position of every sample is normalised over its C values (mean,
 * biased variance), then a per-channel affine (weight 1, bias 0 at start).
 *
 * <p>DJL's {@code LayerNorm} block normalises the last axes only ({@code axis(1)} on NCHW throws), so this moves the
 * channels last, runs the engine's fused layer norm over them and moves them back; gamma and beta therefore have
 * shape C, as that op takes them.
 */
public final class ChannelLayerNorm extends AbstractBlock implements OnnxExportable {
    private static final byte VERSION = 1;

    private final float eps;
    private final Parameter gamma;
    private final Parameter beta;

    public ChannelLayerNorm(float eps) {
        super(VERSION);
        if (!(eps > 0f)) {
            throw new IllegalArgumentException("eps must be positive, got " + eps);
        }
        this.eps = eps;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
    }

    /** ConvNeXt's norm: eps 1e-6. */
    public static ChannelLayerNorm convNext() {
        return new ChannelLayerNorm(1e-6f);
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() < 2) {
            throw new IllegalArgumentException("expected N x C x ..., got " + in);
        }
        gamma.setShape(new Shape(in.get(1)));
        beta.setShape(new Shape(in.get(1)));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        int d = x.getShape().dimension();
        int[] toLast = new int[d];
        int[] back = new int[d];
        for (int i = 1; i < d - 1; i++) {
            toLast[i] = i + 1;
            back[i + 1] = i;
        }
        toLast[d - 1] = 1;
        back[1] = d - 1;
        NDArray channelsLast = x.transpose(toLast);
        NDArray normalised = LayerNorm.layerNorm(channelsLast, new Shape(x.getShape().get(1)),
                ps.getValue(gamma, x.getDevice(), training), ps.getValue(beta, x.getDevice(), training), eps)
                .singletonOrThrow();
        return new NDList(normalised.transpose(back));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
        return List.of(graph.layerNormChannels(inputs.get(0), gamma.getArray(), beta.getArray(), eps));
    }
}
