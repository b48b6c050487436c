package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.Shape;
import com.google.inject.Module;
import io.sslseg.api.Components;
import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.model.FeatureInfo;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The encoder contract, run over every encoder a plugin registers (with its default parameters): one output
 * per published stage with the published channels and stride, plus {@link BlockContract}.
 *
 * <pre>{@code @TestFactory Stream<DynamicTest> contract() { return EncoderContract.forAll(new MyModule()); }}</pre>
 */
public final class EncoderContract {
    public static final int BATCH = 2;
    public static final int SIZE = 64;

    private EncoderContract() {}

    /** One dynamic test per registered encoder. */
    public static Stream<DynamicTest> forAll(Module module) {
        return Registered.components(module, Components.ENCODER).entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue())));
    }

    public static void check(String name, EncoderFactory<?> factory) {
        check(name, create(factory), SIZE);
    }

    /** Checks an encoder on {@code BATCH x 3 x size x size} images; size must be a multiple of every stride. */
    public static void check(String name, Encoder encoder, int size) {
        FeatureInfo info = encoder.features();
        Shape input = new Shape(BATCH, 3, size, size);
        BlockContract.check("encoder " + name, encoder.block(), new Shape[] {input}, out -> {
            assertEquals(info.stages().size(), out.size(), name + ": one output per published stage");
            for (int i = 0; i < out.size(); i++) {
                FeatureInfo.Stage stage = info.stages().get(i);
                assertEquals(0, size % stage.stride(), name + ": test size must be a multiple of " + stage.stride());
                Shape expected = new Shape(BATCH, stage.channels(), size / stage.stride(), size / stage.stride());
                assertEquals(expected, out.get(i).getShape(), name + ": stage " + stage.name() + " (output " + i
                        + ") does not match its published channels/stride");
            }
        });
    }

    private static <P extends Record> Encoder create(EncoderFactory<P> factory) {
        return factory.create(factory.defaults(), new EncoderContext(3));
    }
}
