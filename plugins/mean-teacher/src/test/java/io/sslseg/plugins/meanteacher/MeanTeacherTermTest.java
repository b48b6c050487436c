package io.sslseg.plugins.meanteacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.sslseg.plugins.augment.AugmentationsModule;
import io.sslseg.testkit.LossTermContract;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class MeanTeacherTermTest {
    @TestFactory
    Stream<DynamicTest> contract() {
        return LossTermContract.check("{type: mean-teacher}", new MeanTeacherModule(), new AugmentationsModule());
    }

    /**
     * Two pixels, two classes: student (0.2, 0.8) and (0.5, 0.5), target (0.6, 0.4) and (0.5, 0.5). Per pixel the
     * squared distance summed over classes is 0.32 and 0; the mean 0.16. The gradient reaches the student only:
     * d/ds = 2 (s - t) / 2 pixels.
     */
    @Test
    void consistencyIsTheMeanOverPixelsOfTheSquaredDistanceSummedOverClasses() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray s = m.create(new float[] {0.2f, 0.5f, 0.8f, 0.5f}, new Shape(1, 2, 1, 2));
            NDArray t = m.create(new float[] {0.6f, 0.5f, 0.4f, 0.5f}, new Shape(1, 2, 1, 2));
            s.setRequiresGradient(true);
            t.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = MeanTeacherTerm.consistency(s, t);
                assertEquals(0.16, loss.getFloat(), 1e-6);
                gc.backward(loss);
            }
            assertArrayEquals(new float[] {-0.4f, 0f, 0.4f, 0f}, s.getGradient().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, t.getGradient().toFloatArray(), "the target is detached");
        }
    }
}
