package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.Shape;
import com.google.inject.Module;
import io.sslseg.api.Components;
import io.sslseg.api.model.Decoder;
import io.sslseg.api.model.DecoderContext;
import io.sslseg.api.model.DecoderFactory;
import io.sslseg.api.model.FeatureInfo;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The decoder contract, run over every decoder a plugin registers (with its default parameters) on a
 * synthetic two-stage feature pyramid: logits {@code N x C x H x W} at input resolution, plus
 * {@link BlockContract}.
 */
public final class DecoderContract {
    public static final int BATCH = 2;
    public static final int SIZE = 64;
    public static final int CLASSES = 11;
    /** Small CPU-sized features, shaped like a dilated backbone's: a stride-4 stage and a stride-8 one. */
    public static final FeatureInfo FEATURES = new FeatureInfo(List.of(
            new FeatureInfo.Stage("layer1", 16, 4), new FeatureInfo.Stage("layer4", 32, 8)));

    private DecoderContract() {}

    /** One dynamic test per registered decoder. */
    public static Stream<DynamicTest> forAll(Module module) {
        return Registered.components(module, Components.DECODER).entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue(), FEATURES)));
    }

    public static <P extends Record> void check(String name, DecoderFactory<P> factory, FeatureInfo features) {
        Decoder decoder = factory.create(factory.defaults(), new DecoderContext(features, CLASSES));
        check(name, decoder, features, SIZE);
    }

    /** Checks a decoder fed random features for {@code BATCH} images of {@code size x size}. */
    public static void check(String name, Decoder decoder, FeatureInfo features, int size) {
        Shape[] inputs = features.stages().stream()
                .map(s -> new Shape(BATCH, s.channels(), size / s.stride(), size / s.stride()))
                .toArray(Shape[]::new);
        Shape expected = new Shape(BATCH, CLASSES, size, size);
        BlockContract.check("decoder " + name, decoder.block(), inputs, out -> {
            assertEquals(1, out.size(), name + ": a decoder returns one array, the logits");
            assertEquals(expected, out.get(0).getShape(), name + ": logits must be N x C x H x W at input resolution");
        });
    }
}
