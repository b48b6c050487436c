package io.sslseg.api.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Small helpers shared by the tests of the new blocks: a manager per test, run a block, set exact parameter values,
 * take gradients.
 */
final class NnTesting {
    private NnTesting() {}

    /** Base of a test class whose tests each get a fresh PyTorch CPU manager {@link #m}, closed after the test. */
    abstract static class WithManager {
        protected NDManager m;

        @BeforeEach
        void openManager() {
            m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        }

        @AfterEach
        void closeManager() {
            m.close();
        }
    }

    /** Initialises {@code block} for {@code x} if needed and runs one forward pass. */
    static NDArray run(NDManager m, Block block, boolean training, NDArray x) {
        if (!block.isInitialized()) {
            block.initialize(m, DataType.FLOAT32, x.getShape());
        }
        return block.forward(new ParameterStore(m, false), new NDList(x), training, null).singletonOrThrow();
    }

    /** An initializer that yields exactly these values in the parameter's shape. */
    static Initializer values(float... values) {
        return (manager, shape, dataType) -> manager.create(values, shape);
    }

    /** Runs {@code sum(block(x))} forward and backward in training mode; gradients are then on the parameters. */
    static NDArray forwardBackwardSum(NDManager m, Block block, NDArray x) {
        if (!block.isInitialized()) {
            block.initialize(m, DataType.FLOAT32, x.getShape());
        }
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray out = block.forward(new ParameterStore(m, false), new NDList(x), true, null).singletonOrThrow();
            collector.backward(out.sum());
            return out;
        }
    }

    static Parameter parameter(Block block, String name) {
        return block.getParameters().values().stream().filter(p -> p.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + name + " in " + block));
    }

    static float[] gradient(Block block, String name) {
        return parameter(block, name).getArray().getGradient().toFloatArray();
    }
}
