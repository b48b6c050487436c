package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The checks every model block must pass, whatever it is: initialisation from input shapes, outputs as
 * promised by {@code getOutputShapes}, finite values in training and inference mode, a gradient reaching
 * every trainable parameter, and no array leaking into the parameters' manager over several steps.
 */
public final class BlockContract {
    /** Steps run inside per-step managers before the parameters' manager is inspected for leaks. */
    private static final int LEAK_STEPS = 3;

    private BlockContract() {}

    /**
     * @param label names the component in failure messages
     * @param outputCheck extra checks on the outputs of the first training forward
     */
    public static void check(String label, Block block, Shape[] inputShapes, Consumer<NDList> outputCheck) {
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(1234);
        try (NDManager model = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                NDManager data = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            block.initialize(model, DataType.FLOAT32, inputShapes);
            Shape[] promised = block.getOutputShapes(inputShapes);
            ParameterStore ps = new ParameterStore(model, false);
            int arraysBefore = model.getManagedArrays().size();

            for (int step = 0; step < LEAK_STEPS; step++) {
                try (NDManager stepManager = data.newSubManager();
                        GradientCollector collector = engine.newGradientCollector()) {
                    NDList out = block.forward(ps, randomInputs(stepManager, inputShapes), true, null);
                    if (step == 0) {
                        assertArrayEquals(promised, out.getShapes(),
                                label + ": training outputs differ from getOutputShapes");
                        assertFinite(label + " (training)", out);
                        outputCheck.accept(out);
                    }
                    NDArray loss = randomProjection(stepManager, out);
                    collector.backward(loss);
                    if (step == 0) {
                        assertEveryParameterLearns(label, block, stepManager);
                    }
                }
            }
            try (NDManager stepManager = data.newSubManager()) {
                NDList out = block.forward(ps, randomInputs(stepManager, inputShapes), false, null);
                assertArrayEquals(promised, out.getShapes(), label + ": inference outputs differ from getOutputShapes");
                assertFinite(label + " (inference)", out);
            }
            int leaked = model.getManagedArrays().size() - arraysBefore;
            assertEquals(0, leaked, label + ": " + leaked + " arrays leaked into the parameters' manager over "
                    + (LEAK_STEPS + 1) + " forward passes (an op with a parameter as its first operand?)");
        }
    }

    private static NDList randomInputs(NDManager manager, Shape[] shapes) {
        NDList in = new NDList(shapes.length);
        for (Shape s : shapes) {
            in.add(manager.randomNormal(s));
        }
        return in;
    }

    /**
     * A random linear function of every output: unlike a plain sum, its gradient does not vanish through a
     * final normalisation or softmax, so a parameter without gradient is really disconnected.
     */
    private static NDArray randomProjection(NDManager manager, NDList outputs) {
        NDArray loss = null;
        for (NDArray o : outputs) {
            NDArray term = o.mul(manager.randomNormal(o.getShape())).mean();
            loss = loss == null ? term : loss.add(term);
        }
        return loss;
    }

    private static void assertFinite(String label, NDList outputs) {
        for (int i = 0; i < outputs.size(); i++) {
            assertFalse(hasNonFinite(outputs.get(i)), label + ": output " + i + " has NaN or Inf");
        }
    }

    private static void assertEveryParameterLearns(String label, Block block, NDManager scratch) {
        List<String> dead = new ArrayList<>();
        int trainable = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                continue; // BN running statistics
            }
            trainable++;
            // getGradient() attaches a new handle to the parameter's manager; move it (and what derives from it)
            // to the step's manager so that the leak count stays exact.
            NDArray g = p.getValue().getArray().getGradient();
            g.attach(scratch);
            if (hasNonFinite(g)) {
                fail(label + ": non-finite gradient for " + p.getKey());
            }
            if (g.abs().max().getFloat() == 0f) {
                dead.add(p.getKey());
            }
        }
        assertTrue(dead.isEmpty(), label + ": no gradient reaches " + dead.size() + " of " + trainable
                + " trainable parameters: " + dead);
    }

    private static boolean hasNonFinite(NDArray a) {
        return a.isNaN().any().getBoolean() || a.isInfinite().any().getBoolean();
    }
}
