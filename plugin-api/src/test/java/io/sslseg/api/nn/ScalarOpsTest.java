package io.sslseg.api.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link ScalarOps} against the hazard it exists for: between forward and backward, a garbage collection frees
 * the direct buffers of closed arrays and new 4-byte buffers holding 7 take their memory.
 */
class ScalarOpsTest extends NnTesting.WithManager {
    private static final float[] X = {0.5f, 2f, 3f, 4f};

    /** d/dx sum(op(x)) with a GC and buffer reuse between forward and backward. */
    private float[] gradientThroughChurn(UnaryOperator<NDArray> op) {
        NDArray x = m.create(X);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray loss = op.apply(x).sum();
            List<ByteBuffer> reuse = churn();
            gc.backward(loss);
            assertEquals(2000, reuse.size());
        }
        return x.getGradient().toFloatArray();
    }

    private static List<ByteBuffer> churn() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20); // the cleaner thread frees the collected buffers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ByteBuffer> reuse = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            reuse.add(ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putFloat(0, 7f));
        }
        return reuse;
    }

    /**
     * The hazard, made deterministic: a number whose array is a Java direct buffer ({@code from_blob}, as DJL 0.36's
     * {@code PtNDArray.mul(Number)} makes it) is read again by backward, after its handle was closed; what is in the
     * buffer then (here overwritten, as the memory's next user does) is what the gradient gets. If DJL ever copies the
     * buffer, this fails, and ScalarOps could go.
     */
    @Test
    void backwardReadsANumbersJavaBufferAfterItsArrayWasClosed() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putFloat(0, 3f);
        NDArray x = m.create(X);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray loss;
            try (NDArray three = m.create(buffer, new Shape(), DataType.FLOAT32)) {
                loss = x.mul(three).sum();
            }
            buffer.putFloat(0, 7f); // the freed memory's next user
            gc.backward(loss);
        }
        assertArrayEquals(new float[] {7, 7, 7, 7}, x.getGradient().toFloatArray());
    }

    /**
     * ScalarOps under the conditions that corrupt DJL's numbers (a GC, then thousands of new 4-byte buffers): its
     * operands live in libtorch's memory, so the gradients are exact whatever the collector did.
     */
    @Test
    void gradientsStayExactThroughTheChurn() {
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(new float[] {3, 3, 3, 3}, gradientThroughChurn(x -> ScalarOps.mul(x, 3)));
            assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, gradientThroughChurn(x -> ScalarOps.div(x, 4)));
            // d/dx x^3 = 3x^2
            assertArrayEquals(new float[] {0.75f, 12, 27, 48}, gradientThroughChurn(x -> ScalarOps.pow(x, 3)), 1e-5f);
            assertArrayEquals(new float[] {0, 0, 1, 1}, gradientThroughChurn(x -> ScalarOps.maximum(x, 2.5)));
            assertArrayEquals(new float[] {1, 1, 0, 0}, gradientThroughChurn(x -> ScalarOps.minimum(x, 2.5)));
        }
    }

    @Test
    void valuesKeepTheArraysTypeAndShape() {
        NDArray x = m.create(X, new Shape(2, 2));
        assertArrayEquals(new float[] {1.5f, 6, 9, 12}, ScalarOps.mul(x, 3).toFloatArray());
        assertArrayEquals(new float[] {0.25f, 1, 1.5f, 2}, ScalarOps.div(x, 2).toFloatArray());
        assertArrayEquals(new float[] {2.5f, 2.5f, 3, 4}, ScalarOps.maximum(x, 2.5).toFloatArray());
        assertEquals(new Shape(2, 2), ScalarOps.pow(x, 2).getShape());
        NDArray ints = m.create(new long[] {1, 5, 9});
        NDArray clipped = ScalarOps.minimum(ints, 4);
        assertEquals(DataType.INT64, clipped.getDataType());
        assertArrayEquals(new long[] {1, 4, 4}, clipped.toLongArray());
        NDArray s = ScalarOps.scalar(x, 0.5);
        assertEquals(new Shape(), s.getShape());
        assertEquals(x.getDevice(), s.getDevice());
    }
}
