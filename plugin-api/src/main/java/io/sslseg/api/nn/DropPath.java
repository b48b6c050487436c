package io.sslseg.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.onnx.OnnxGraph;
import java.util.List;

/**
 * Stochastic depth per sample (timm's {@code DropPath}): at inference the identity; in training each sample's
 * array is zeroed with probability {@code rate} and the survivors are scaled by {@code 1 / (1 - rate)}, so the
 * expectation is unchanged. Applied to a residual branch, it drops that branch for some samples of the batch.
 * The draws come from the engine's RNG (seeded by {@code Engine.setRandomSeed}).
 */
public final class DropPath extends AbstractBlock implements OnnxExportable {
    private static final byte VERSION = 1;

    private final float rate;

    public DropPath(float rate) {
        super(VERSION);
        this.rate = checkRate(rate);
    }

    public float rate() {
        return rate;
    }

    /** The function behind the block, for composite blocks that apply it to a branch inline. */
    public static NDArray drop(NDArray x, float rate, boolean training) {
        if (!training || checkRate(rate) == 0f) {
            return x;
        }
        long[] perSample = new long[x.getShape().dimension()];
        Arrays.fill(perSample, 1);
        perSample[0] = x.getShape().get(0);
        NDArray keep = x.getManager().randomUniform(0f, 1f, new Shape(perSample), x.getDataType())
                .gte(rate).toType(x.getDataType(), false);
        // The mask is scaled on its N elements, not on x; x stays the first operand (see CompositeBlock).
        return x.mul(ScalarOps.div(keep, 1 - rate));
    }

    /**
     * Per-block rates growing linearly from 0 to {@code maxRate} over all blocks of a network: PyTorch's
     * {@code linspace(0, maxRate, blocks)}, which is also PoolFormer's {@code maxRate * i / (blocks - 1)}.
     */
    public static float[] linearRates(float maxRate, int blocks) {
        checkRate(maxRate);
        if (blocks < 1) {
            throw new IllegalArgumentException("blocks must be positive, got " + blocks);
        }
        float[] rates = new float[blocks];
        for (int i = 1; i < blocks; i++) {
            rates[i] = (float) ((double) maxRate * i / (blocks - 1));
        }
        return rates;
    }

    static float checkRate(float rate) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("drop path rate must be in [0, 1), got " + rate);
        }
        return rate;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(drop(inputs.singletonOrThrow(), rate, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** Identity at inference. */
    @Override
    public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
        return inputs;
    }
}
