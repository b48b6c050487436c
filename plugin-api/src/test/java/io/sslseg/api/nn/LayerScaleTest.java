package io.sslseg.api.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** {@link LayerScale} and the residual step built on it, {@link ScaledResidual}. */
class LayerScaleTest extends NnTesting.WithManager {
    /** Channel 0 holds 1, 2 and channel 1 holds 3, 4. */
    private NDArray twoChannels() {
        return m.create(new float[] {1, 2, 3, 4}, new Shape(1, 2, 1, 2));
    }

    @Test
    void startsAtTheInitValueOnEveryChannel() {
        LayerScale scale = new LayerScale(1e-5f);
        NDArray out = NnTesting.run(m, scale, false, twoChannels());
        assertArrayEquals(new float[] {1e-5f, 2e-5f, 3e-5f, 4e-5f}, out.toFloatArray(), 1e-11f);
        Parameter gamma = NnTesting.parameter(scale, "gamma");
        assertEquals(new Shape(1, 2, 1, 1), gamma.getShape());
        assertEquals(2, Layers.trainableParameterCount(scale));
    }

    @Test
    void scalesEachChannelAndLearnsItsScale() {
        LayerScale scale = new LayerScale(1e-6f);
        scale.setInitializer(NnTesting.values(2f, -1f), "gamma");
        NDArray out = NnTesting.forwardBackwardSum(m, scale, twoChannels());
        assertArrayEquals(new float[] {2, 4, -3, -4}, out.toFloatArray());
        // d sum(gamma_c * x) / d gamma_c = sum of channel c: 1 + 2 and 3 + 4.
        assertArrayEquals(new float[] {3, 7}, NnTesting.gradient(scale, "gamma"));
    }

    @Test
    void anEnclosingWeightOrGammaInitializerLeavesTheConstantAlone() {
        LayerScale scale = new LayerScale(1e-5f);
        scale.setInitializer(Initializer.ONES, Parameter.Type.WEIGHT);
        scale.setInitializer(Initializer.ONES, Parameter.Type.GAMMA);
        scale.initialize(m, DataType.FLOAT32, new Shape(1, 3, 2, 2));
        assertArrayEquals(new float[] {1e-5f, 1e-5f, 1e-5f},
                NnTesting.parameter(scale, "gamma").getArray().toFloatArray());
    }

    @Test
    void rejectsANonPositiveInitValue() {
        assertThrows(IllegalArgumentException.class, () -> new LayerScale(0f));
        assertThrows(IllegalArgumentException.class, () -> new LayerScale(Float.NaN));
    }

    private static Block timesThree() {
        return Layers.function(x -> ScalarOps.mul(x, 3), UnaryOperator.identity());
    }

    @Test
    void residualAddsTheScaledBranch() {
        ScaledResidual block = new ScaledResidual(timesThree(), 0.5f, 0f);
        NDArray out = NnTesting.forwardBackwardSum(m, block, twoChannels());
        // x + 0.5 * 3x = 2.5x
        assertArrayEquals(new float[] {2.5f, 5f, 7.5f, 10f}, out.toFloatArray());
        // d / d gamma_c = sum of the branch on channel c: 3 * (1 + 2), 3 * (3 + 4)
        assertArrayEquals(new float[] {9, 21}, NnTesting.gradient(block, "gamma"));
    }

    @Test
    void layerScaleZeroMeansNone() {
        ScaledResidual block = new ScaledResidual(timesThree(), 0f, 0f);
        assertArrayEquals(new float[] {4, 8, 12, 16}, NnTesting.run(m, block, false, twoChannels()).toFloatArray());
        assertEquals(0, block.getParameters().size());
    }

    @Test
    void dropPathActsOnTheBranchOnlyAndOnlyInTraining() {
        ScaledResidual block = new ScaledResidual(timesThree(), 1f, 0.5f);
        NDArray x = m.ones(new Shape(400, 1, 1, 1));
        assertArrayEquals(new float[] {4f, 4f}, NnTesting.run(m, block, false, x).get("0:2").toFloatArray());
        float[] y = NnTesting.run(m, block, true, x).toFloatArray();
        int kept = 0;
        for (float v : y) {
            // dropped: x alone; kept: x + 3x / (1 - 0.5)
            assertEquals(true, v == 1f || v == 7f, "output " + v);
            kept += v == 7f ? 1 : 0;
        }
        assertEquals(200, kept, 50);
    }

    @Test
    void rejectsABranchThatChangesTheShape() {
        ScaledResidual block = new ScaledResidual(Layers.conv2d(5, 1, 1, 1, false), 1e-5f, 0f);
        assertThrows(IllegalArgumentException.class, () -> block.getOutputShapes(new Shape[] {new Shape(1, 2, 4, 4)}));
    }
}
