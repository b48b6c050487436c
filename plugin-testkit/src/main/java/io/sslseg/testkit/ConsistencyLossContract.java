package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.inject.Module;
import io.sslseg.api.Components;
import io.sslseg.api.ssl.ConsistencyLoss;
import io.sslseg.api.ssl.ConsistencyLossFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The consistency-loss contract, run over every consistency loss a plugin registers (with its default parameters),
 * on N x C x H x W auxiliary logits against a fixed target distribution:
 * <ul>
 *   <li>the loss is a finite scalar, not below zero (up to 1e-4, room for an epsilon inside a logarithm);</li>
 *   <li>it is a distance to the target: about zero (at most 1e-3) where softmax(aux) equals the target, and lower
 *       there than at each of three other predictions;</li>
 *   <li>its gradient reaches the auxiliary logits, and the inputs are left as they were;</li>
 *   <li>the same inputs give the same value.</li>
 * </ul>
 *
 * <pre>{@code @TestFactory Stream<DynamicTest> contract() { return ConsistencyLossContract.forAll(new MyModule()); }}</pre>
 */
public final class ConsistencyLossContract {
    public static final int CLASSES = 5;
    private static final Shape SHAPE = new Shape(2, CLASSES, 6, 7);

    private ConsistencyLossContract() {}

    /** One dynamic test per registered consistency loss. */
    public static Stream<DynamicTest> forAll(Module module) {
        return Registered.components(module, Components.CONSISTENCY_LOSS).entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), create(e.getValue()))));
    }

    public static void check(String name, ConsistencyLoss loss) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Engine.getEngine("PyTorch").setRandomSeed(3);
            NDArray target = m.randomNormal(0f, 2f, SHAPE, DataType.FLOAT32).softmax(1);
            float[] targetBefore = target.toFloatArray();

            float atTarget = value(name, loss, target.log(), target);
            assertTrue(Math.abs(atTarget) <= 1e-3, name + ": " + atTarget + " where softmax(aux) equals the target");
            for (int k = 0; k < 3; k++) {
                NDArray other = m.randomNormal(0f, 2f, SHAPE, DataType.FLOAT32);
                float elsewhere = value(name, loss, other, target);
                assertTrue(elsewhere > atTarget, name + ": " + elsewhere + " at another prediction is not above "
                        + atTarget + " at the target");
            }

            NDArray aux = m.randomNormal(0f, 2f, SHAPE, DataType.FLOAT32);
            float[] auxBefore = aux.toFloatArray();
            assertEquals(value(name, loss, aux, target), value(name, loss, aux, target),
                    name + ": the same inputs must give the same value");
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                aux.setRequiresGradient(true);
                try {
                    collector.backward(loss.compute(aux, target));
                } catch (EngineException e) {
                    fail(name + ": no gradient on the aux logits (" + e.getMessage() + ")");
                }
                assertTrue(aux.getGradient().square().sum().getFloat() > 0, name + ": no gradient on the aux logits");
            }
            assertArrayEquals(auxBefore, aux.toFloatArray(), name + ": the aux logits were changed in place");
            assertArrayEquals(targetBefore, target.toFloatArray(), name + ": the target was changed in place");
        }
    }

    private static float value(String name, ConsistencyLoss loss, NDArray aux, NDArray target) {
        NDArray v = loss.compute(aux, target);
        assertEquals(new Shape(), v.getShape(), name + ": the loss must be a scalar");
        float f = v.getFloat();
        assertTrue(Float.isFinite(f), name + ": non-finite loss " + f);
        assertTrue(f >= -1e-4, name + ": negative loss " + f);
        return f;
    }

    static <P extends Record> ConsistencyLoss create(ConsistencyLossFactory<P> factory) {
        return factory.create(factory.defaults(), CLASSES);
    }
}
