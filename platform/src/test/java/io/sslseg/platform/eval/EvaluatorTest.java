package io.sslseg.platform.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.sslseg.api.NonFiniteException;
import io.sslseg.api.data.AugmentView;
import io.sslseg.api.nn.Layers;
import io.sslseg.platform.data.Batch;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    /** Two 2 x 2 images, three classes: the "network" returns its input, so the argmax is the brightest plane. */
    private static Batch batch() {
        float[] images = {
            1, 0, 0, 0, /* plane 0 */ 0, 1, 0, 0, /* plane 1 */ 0, 0, 1, 1, /* plane 2 */
            0, 0, 0, 0, /* image 2 */ 1, 1, 1, 1, 0, 0, 0, 0};
        AugmentView v = AugmentView.identity(2, 2);
        return new Batch(2, 2, 2, images, new byte[8], List.of("a", "b"), List.of(Set.of(), Set.of()), List.of(v, v));
    }

    private static Block network(UnaryOperator<ai.djl.ndarray.NDArray> f) {
        Block b = Layers.function(f, UnaryOperator.identity());
        b.initialize(NDManager.newBaseManager(), DataType.FLOAT32, new Shape(2, 3, 2, 2));
        return b;
    }

    @Test
    void predictsTheArgmaxPerPixel() {
        Evaluator e = new Evaluator(network(x -> x), 1, 3, Device.cpu());
        try (NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new int[] {0, 1, 2, 2, 1, 1, 1, 1}, e.predict(m, batch()));
        }
    }

    @Test
    void aNanOutputFailsNamingTheImageInsteadOfPredictingClassZero() {
        // 0 / 0: argmax would read the NaNs as the top score of class 0 everywhere
        Evaluator e = new Evaluator(network(x -> x.sub(x).div(x.sub(x))), 1, 3, Device.cpu());
        try (NDManager m = NDManager.newBaseManager()) {
            NonFiniteException ex = assertThrows(NonFiniteException.class, () -> e.predict(m, batch()));
            assertEquals("the network's output for a (and the other 1 images of its batch) has NaN or Inf", ex.getMessage());
        }
    }
}
