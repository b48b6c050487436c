package io.sslseg.api.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.junit.jupiter.api.Test;

class LayersTest extends NnTesting.WithManager {
    private NDList run(Block block, boolean training, NDArray x) {
        if (!block.isInitialized()) {
            block.initialize(m, DataType.FLOAT32, x.getShape());
        }
        return block.forward(new ParameterStore(m, false), new NDList(x), training, null);
    }

    @Test
    void convPaddingKeepsTheSizeForAnyDilation() {
        Conv2d conv = Layers.conv2d(4, 3, 1, 4, false);
        assertEquals(new Shape(4, 4), conv.getPadding());
        assertEquals(new Shape(3, 3), Layers.conv2d(4, 7, 2, 1, false).getPadding());
        assertEquals(new Shape(2, 4, 9, 9), run(conv, false, m.randomNormal(new Shape(2, 3, 9, 9))).head().getShape());
    }

    @Test
    void batchNormFollowsPyTorchMomentum() {
        Block bn = Layers.batchNorm();
        run(bn, true, m.full(new Shape(4, 2, 3, 3), 10f).add(ScalarOps.mul(m.randomNormal(new Shape(4, 2, 3, 3)), 1e-3)));
        // PyTorch momentum 0.1: running_mean = 0.9 * 0 + 0.1 * 10
        NDArray runningMean = bn.getParameters().values().stream()
                .filter(p -> p.getType() == Parameter.Type.RUNNING_MEAN).findFirst().orElseThrow().getArray();
        assertArrayEquals(new float[] {1, 1}, runningMean.toFloatArray(), 1e-3f);
    }

    @Test
    void maxPoolShapeRuleMatchesTheOp() {
        Block pool = Layers.maxPool2d(3, 2, 1);
        for (int side : new int[] {7, 8, 64}) {
            Shape in = new Shape(1, 2, side, side);
            assertEquals(pool.getOutputShapes(new Shape[] {in})[0], run(pool, false, m.randomNormal(in)).head().getShape());
        }
    }

    @Test
    void countsTrainableParametersOnly() {
        SequentialBlock block = new SequentialBlock().add(Layers.conv2d(8, 3, 1, 1, false)).add(Layers.batchNorm());
        block.initialize(m, DataType.FLOAT32, new Shape(1, 3, 8, 8));
        assertEquals(3 * 8 * 9 + 2 * 8, Layers.trainableParameterCount(block)); // no BN running stats
        assertThrows(IllegalStateException.class, () -> Layers.trainableParameterCount(Layers.conv2d(8, 3, 1, 1, true)));
    }

    /** A two-branch block: its second child's input channels exist only after the first one's output. */
    private static final class TwoBranch extends CompositeBlock {
        private final Block first = addChildBlock("first", Layers.conv2d(6, 3, 2, 1, true));
        private final Block second = addChildBlock("second", Layers.conv2d(5, 1, 1, 1, true));

        @Override
        protected Shape[] traceShapes(ShapeTrace trace, Shape[] in) {
            Shape a = trace.through(first, in[0]);
            return new Shape[] {a, trace.through(second, a)};
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            NDArray a = apply(first, ps, in.head(), training, p);
            return new NDList(a, apply(second, ps, a, training, p));
        }
    }

    @Test
    void compositeBlockInitialisesChildrenAlongItsShapeTrace() {
        TwoBranch block = new TwoBranch();
        Shape in = new Shape(2, 3, 8, 8);
        assertArrayEquals(new Shape[] {new Shape(2, 6, 4, 4), new Shape(2, 5, 4, 4)}, block.getOutputShapes(new Shape[] {in}));
        NDList out = run(block, true, m.randomNormal(in));
        assertArrayEquals(block.getOutputShapes(new Shape[] {in}), out.getShapes());
        assertEquals(3 * 6 * 9 + 6 + 6 * 5 + 5, Layers.trainableParameterCount(block));
    }
}
