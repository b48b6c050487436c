package io.sslseg.platform.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.testkit.Golden;
import org.junit.jupiter.api.Test;

/** CE against the values and gradients CCT's code computed (golden file), temperatures 1 and 2. */
class CrossEntropyTest {

    @Test
    void matchesReferenceValueAndGradient() {
        check(1.0, "CE_loss_T1");
        check(2.0, "CE_loss_T2");
    }

    private static void check(double temperature, String key) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = Golden.array(m, Golden.input("logits"));
            NDArray labels = Golden.array(m, Golden.input("labels")).toType(DataType.INT64, false);
            logits.setRequiresGradient(true);
            CrossEntropy ce = new CrossEntropy(temperature);
            float value;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = ce.compute(logits, labels, new TrainingClock(0, 1));
                value = loss.getFloat();
                gc.backward(loss);
            }
            double expected = Golden.output(key).get("value").asDouble();
            assertEquals(expected, value, 1e-5 * Math.abs(expected), key + " value");
            Golden.assertClose(Golden.flatten(Golden.output(key).get("grad")), logits.getGradient().toFloatArray(),
                    1e-5, 1e-3, key + " grad");
        }
    }

    @Test
    void allIgnoredGivesZeroNotNaN() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = m.randomNormal(new ai.djl.ndarray.types.Shape(1, 3, 2, 2));
            NDArray labels = m.full(new ai.djl.ndarray.types.Shape(1, 2, 2), 255).toType(DataType.INT64, false);
            float v = new CrossEntropy(1).compute(logits, labels, new TrainingClock(0, 1)).getFloat();
            assertEquals(0f, v);
        }
    }
}
