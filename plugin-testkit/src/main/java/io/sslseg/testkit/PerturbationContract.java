package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.inject.Module;
import io.sslseg.api.Components;
import io.sslseg.api.ssl.Perturbation;
import io.sslseg.api.ssl.PerturbationContext;
import io.sslseg.api.ssl.PerturbationFactory;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The perturbation contract, run over every perturbation a plugin registers (with its default parameters), on
 * N x D x h x w features of a stride-4 encoder and a context whose auxiliary decoder is a 1x1 conv followed by a
 * bilinear resize to the image size (what {@link PerturbationContext#decode} promises; {@link LinearDecoderContext}):
 * <ul>
 *   <li>the result has the features' shape and is finite;</li>
 *   <li>it perturbs: the result differs from the features;</li>
 *   <li>the features are left as they were (no in-place change of an array that is part of the graph);</li>
 *   <li>the gradient flows back to the features through the result (CCT trains the encoder through every
 *       auxiliary decoder);</li>
 *   <li>no gradient is left on the decoder's parameters by the perturbation itself (an adversarial one must
 *       take its input gradient through {@link PerturbationContext#inputGradient});</li>
 *   <li>the same features, prediction and seed give the same result.</li>
 * </ul>
 *
 * <pre>{@code @TestFactory Stream<DynamicTest> contract() { return PerturbationContract.forAll(new MyModule()); }}</pre>
 */
public final class PerturbationContract {
    public static final int N = 2;
    public static final int D = 8;
    public static final int CLASSES = 4;
    public static final int FEATURE_SIZE = 8;
    public static final int IMAGE_SIZE = 32;

    private PerturbationContract() {}

    /** One dynamic test per registered perturbation. */
    public static Stream<DynamicTest> forAll(Module module) {
        return Registered.components(module, Components.PERTURBATION).entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), create(e.getValue()))));
    }

    public static void check(String name, Perturbation perturbation) {
        float[] first = perturbed(name, perturbation, 11, 1);
        float[] again = perturbed(name, perturbation, 11, 2);
        assertArrayEquals(first, again, name + ": the same features, prediction and seed must give the same result");
    }

    /**
     * Applies the perturbation once with every check on the way; returns the perturbed values. The inputs come from
     * a fixed generator, the engine's own generator is seeded with {@code engineSeed}: a perturbation that draws from
     * it instead of from {@link PerturbationContext#seed()} gives another result on another call (and on resume).
     */
    private static float[] perturbed(String name, Perturbation perturbation, long seed, int engineSeed) {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            Engine.getEngine("PyTorch").setRandomSeed(engineSeed);
            Random inputs = new Random(5);
            NDArray z = normal(m, inputs, 0.5f, new Shape(N, D, FEATURE_SIZE, FEATURE_SIZE));
            float[] zBefore = z.toFloatArray();
            z.setRequiresGradient(true);
            NDArray mainLogits = normal(m, inputs, 2f, new Shape(N, CLASSES, IMAGE_SIZE, IMAGE_SIZE));
            float[][] weights = new float[CLASSES][D];
            for (float[] row : weights) {
                for (int d = 0; d < D; d++) {
                    row[d] = (float) inputs.nextGaussian() * 0.5f;
                }
            }
            LinearDecoderContext context = new LinearDecoderContext(m, collector, weights, mainLogits, IMAGE_SIZE, seed);

            NDArray out = perturbation.apply(z, context);
            assertEquals(z.getShape(), out.getShape(), name + ": the perturbed features must keep their shape");
            float[] values = out.toFloatArray();
            for (int i = 0; i < values.length; i++) {
                assertTrue(Float.isFinite(values[i]), name + ": non-finite value at " + i);
            }
            assertArrayEquals(zBefore, z.toFloatArray(), name + ": the features were changed in place");
            if (context.sharedPrediction() != null) {
                // the step's other perturbations read the same array after this one
                assertArrayEquals(mainLogits.argMax(1).toLongArray(), context.sharedPrediction().toLongArray(),
                        name + ": the shared main prediction was changed or closed");
            }
            assertFalse(java.util.Arrays.equals(zBefore, values), name + ": the result equals the features");
            if (context.weight().hasGradient()) {
                for (float g : context.weight().getGradient().toFloatArray()) {
                    assertEquals(0f, g, name + ": the perturbation left a gradient on the decoder's weight");
                }
            }

            try {
                collector.backward(out.mul(normal(m, inputs, 1f, out.getShape())).sum());
            } catch (EngineException e) {
                fail(name + ": no gradient reaches the features through the result (" + e.getMessage() + ")");
            }
            double gradientNorm = z.getGradient().square().sum().getFloat();
            assertTrue(gradientNorm > 0, name + ": no gradient reaches the features through the result");
            return values;
        }
    }

    private static NDArray normal(NDManager m, Random random, float std, Shape shape) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian() * std;
        }
        return m.create(v, shape);
    }

    static <P extends Record> Perturbation create(PerturbationFactory<P> factory) {
        return factory.create(factory.defaults(), CLASSES);
    }
}
