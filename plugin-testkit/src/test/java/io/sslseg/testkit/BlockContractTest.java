package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.nn.ScalarOps;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The contract must catch what it promises to catch: each broken block below fails it for its reason. */
class BlockContractTest {
    private static final Shape[] INPUT = {new Shape(2, 3, 4, 4)};

    /** Per-channel scale and shift; the forward function decides how the parameters are used. */
    private static final class ScaleShift extends AbstractBlock {
        private final Parameter scale = addParameter(Parameter.builder().setName("scale")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(1, 3, 1, 1)).build());
        private final Parameter shift = addParameter(Parameter.builder().setName("shift")
                .setType(Parameter.Type.BIAS).optShape(new Shape(1, 3, 1, 1)).build());
        private final BiFunction<NDArray, NDArray[], NDArray> forward;
        private final Shape promised;

        ScaleShift(BiFunction<NDArray, NDArray[], NDArray> forward, Shape promised) {
            this.forward = forward;
            this.promised = promised;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            NDArray x = in.head();
            NDArray[] params = {ps.getValue(scale, x.getDevice(), training), ps.getValue(shift, x.getDevice(), training)};
            return new NDList(forward.apply(x, params));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {promised == null ? inputShapes[0] : promised};
        }
    }

    private static void check(ScaleShift block) {
        BlockContract.check("test", block, INPUT, out -> {});
    }

    private static void assertFailsWith(String expected, ScaleShift block) {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> check(block));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void acceptsAWellBehavedBlock() {
        check(new ScaleShift((x, p) -> x.mul(p[0]).add(p[1]), null));
    }

    @Test
    void catchesAnOpWithAParameterFirst() {
        // DJL attaches p.mul(x) to p's manager: one array per step accumulates next to the parameters.
        assertFailsWith("leaked", new ScaleShift((x, p) -> p[0].mul(x).add(p[1]), null));
    }

    @Test
    void catchesAParameterThatGetsNoGradient() {
        assertFailsWith("[shift]", new ScaleShift((x, p) -> x.mul(p[0]), null));
    }

    @Test
    void catchesOutputsThatBreakTheShapePromise() {
        assertFailsWith("getOutputShapes", new ScaleShift((x, p) -> x.mul(p[0]).add(p[1]), new Shape(2, 3, 2, 2)));
    }

    @Test
    void catchesNonFiniteOutputs() {
        assertFailsWith("NaN or Inf", new ScaleShift((x, p) -> ScalarOps.div(x.mul(p[0]).add(p[1]), 0), null));
    }
}
