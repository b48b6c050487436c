package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.inject.Module;
import io.sslseg.api.Components;
import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.nn.StagedParams;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Checks for the hierarchical encoders that plugin-api's {@code StagedBackbone} and {@link StagedParams} build
 * (poolformer-*, convnext-*): the {@link EncoderContract} over every registered size at a cost the CI machine can
 * pay, the {@link WeightsContract} on a small configuration, the published stages, drop path, initial values and
 * parameter counts.
 */
public final class StagedEncoderContract {
    /** Images of the stage and drop-path checks: a batch of two 64x64 RGB images. */
    public static final Shape IMAGES = new Shape(2, 3, 64, 64);
    /** The configuration of the weights checks: small, stem stride 2, drop path and layer scale both on. */
    public static final StagedParams WEIGHTS_CONFIG =
            new StagedParams(List.of(1, 1, 2, 1), List.of(8, 16, 24, 32), 2, 0.1, 1e-2, null);
    private static final Shape WEIGHTS_IMAGES = new Shape(1, 3, 32, 32);

    private StagedEncoderContract() {}

    /**
     * The {@link EncoderContract}, one dynamic test per encoder {@code module} registers (sorted by name), each
     * created by its registered factory from its defaults with two changes:
     * <ul>
     *   <li>the published sizes (stem stride 4: tens of millions of parameters, up to 48 blocks) are too slow on the
     *       2-core CI machine, so they run at 1/8 of their widths (same depths, stems and strides); check their
     *       full-width parameter counts with {@link #trainableParameters} instead;</li>
     *   <li>drop path is set to 0: with the contract's batch of 2, a block whose branch is dropped for both samples
     *       gets no gradient, which the contract would rightly report as a dead parameter (at the defaults' rates
     *       over dozens of blocks that is nearly certain); check drop path with {@link #assertDropPathOnlyInTraining}.
     *   </li>
     * </ul>
     */
    public static Stream<DynamicTest> forAllRegistered(Module module) {
        Map<String, EncoderFactory<?>> encoders = Registered.components(module, Components.ENCODER);
        return encoders.keySet().stream().sorted()
                .map(name -> DynamicTest.dynamicTest(name, () -> checkAtTestCost(name, encoders.get(name))));
    }

    private static void checkAtTestCost(String name, EncoderFactory<?> registered) {
        EncoderFactory<StagedParams> factory = staged(name, registered);
        EncoderContract.check(name, factory.create(atTestCost(factory.defaults()), new EncoderContext(3)),
                EncoderContract.SIZE);
    }

    /**
     * The {@link OnnxExportContract}, one dynamic test per registered encoder, at about the sizes of
     * {@link #forAllRegistered} but with layer scale 1: at the defaults' 1e-5 or 1e-6 the residual branches hardly touch the output, and an
     * export that got them wrong would pass.
     */
    public static Stream<DynamicTest> forAllRegisteredExport(Module module) {
        Map<String, EncoderFactory<?>> encoders = Registered.components(module, Components.ENCODER);
        return encoders.keySet().stream().sorted().map(name -> DynamicTest.dynamicTest(name, () -> {
            EncoderFactory<StagedParams> factory = staged(name, encoders.get(name));
            StagedParams p = atTestCost(factory.defaults());
            // widths rounded up to multiples of 32: libtorch 2.7.1 computes some small convs wrongly here (e.g. 2x2
            // stride 2, 24 -> 48 or 48 -> 80 channels on a 4x4 map; docs/results.md), which would be taken
            // for export errors
            List<Integer> widths = p.widths().stream().map(w -> (w + 31) / 32 * 32).toList();
            StagedParams exported = new StagedParams(p.depths(), widths, p.stemStride(), 0, 1.0, null);
            OnnxExportContract.checkEncoder(name, EncoderFactory.of(StagedParams.class, exported, name,
                    (params, context) -> factory.create(params, context)));
        }));
    }

    @SuppressWarnings("unchecked")
    private static EncoderFactory<StagedParams> staged(String name, EncoderFactory<?> registered) {
        assertEquals(StagedParams.class, registered.paramsType(), name + " does not take StagedParams");
        return (EncoderFactory<StagedParams>) registered;
    }

    private static StagedParams atTestCost(StagedParams defaults) {
        StagedParams p = defaults.withDropPath(0);
        return p.stemStride() == 4 ? p.withWidths(p.widths().stream().map(w -> w / 8).toList()) : p;
    }

    /**
     * The {@link WeightsContract} of the encoder {@code factory} creates, at {@link #WEIGHTS_CONFIG} on one 32x32
     * image, as four dynamic tests: a saved encoder loads into a fresh one with the same parameters and outputs; a
     * file for other widths (40 channels in the last stage instead of 32) fails the initialisation naming the first
     * parameter that differs, with each of {@code widerMentions} in the message (e.g. its name and shape); a file
     * for other depths fails it too; a missing file fails at creation, naming {@code component}.
     *
     * @param dir a folder for the weights files, e.g. the test's {@code @TempDir}
     */
    public static Stream<DynamicTest> weightsContract(EncoderFactory<StagedParams> factory, String component, Path dir,
            String... widerMentions) {
        Function<StagedParams, Block> encoder = p -> factory.create(p, new EncoderContext(3)).block();
        StagedParams small = WEIGHTS_CONFIG;
        Path file = dir.resolve(component + "-small.params");
        return Stream.of(
                DynamicTest.dynamicTest("a saved encoder loads into a fresh one with the same outputs",
                        () -> WeightsContract.assertRoundTrip(w -> encoder.apply(small.withWeights(w)), WEIGHTS_IMAGES,
                                file)),
                DynamicTest.dynamicTest("a file for other widths names the first parameter that differs", () -> {
                    WeightsContract.save(encoder.apply(small), WEIGHTS_IMAGES, file);
                    Block wider = encoder.apply(small.withWidths(List.of(8, 16, 24, 40)).withWeights(file.toString()));
                    String[] mentions = Stream.concat(Stream.of("parameter "), Stream.of(widerMentions))
                            .toArray(String[]::new);
                    WeightsContract.assertDoesNotFit(wider, WEIGHTS_IMAGES, file, mentions);
                }),
                DynamicTest.dynamicTest("a file for other depths does not fit", () -> {
                    WeightsContract.save(encoder.apply(small), WEIGHTS_IMAGES, file);
                    Block deeper = encoder.apply(new StagedParams(List.of(1, 2, 2, 1), small.widths(),
                            small.stemStride(), small.dropPath(), small.layerScaleInit(), file.toString()));
                    WeightsContract.assertDoesNotFit(deeper, WEIGHTS_IMAGES, file);
                }),
                DynamicTest.dynamicTest("a missing file fails at creation",
                        () -> WeightsContract.assertMissingFileFailsAtCreation(
                                w -> encoder.apply(small.withWeights(w)), dir, component)));
    }

    /**
     * Initialises {@code net} for {@link #IMAGES} and passes each parameter, with its name, to {@code check}
     * (for the checks of initial values; the arrays are valid during the call only).
     */
    public static void forEachInitialParameter(Block net, BiConsumer<String, Parameter> check) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            net.initialize(m, DataType.FLOAT32, IMAGES);
            for (var p : net.getParameters()) {
                check.accept(p.getKey(), p.getValue());
            }
        }
    }

    /**
     * The encoder publishes one stage per width, named {@code stage1, stage2, ...}, with these strides and widths as
     * its channels, and its outputs on {@link #IMAGES} have those shapes.
     */
    public static void assertPublishesStages(Encoder encoder, List<Integer> strides, List<Integer> widths) {
        List<FeatureInfo.Stage> stages = encoder.features().stages();
        Shape[] out = encoder.block().getOutputShapes(new Shape[] {IMAGES});
        assertEquals(strides.size(), stages.size(), "stages");
        assertEquals(widths.size(), stages.size(), "stages");
        assertEquals(stages.size(), out.length, "one output per stage");
        long size = IMAGES.get(2);
        for (int i = 0; i < stages.size(); i++) {
            FeatureInfo.Stage stage = stages.get(i);
            assertEquals("stage" + (i + 1), stage.name());
            assertEquals(strides.get(i), stage.stride());
            assertEquals(widths.get(i), stage.channels());
            assertEquals(new Shape(IMAGES.get(0), stage.channels(), size / stage.stride(), size / stage.stride()),
                    out[i]);
        }
    }

    /**
     * Drop path changes nothing in inference (two passes give the same outputs on {@link #IMAGES}) and fires in
     * training (one of two training passes changes the last output), on the encoder {@code build} makes of a small
     * configuration with drop-path rate 0.5 and layer scale 1 (so that the branches weigh on the output). The
     * engine's seed is set here.
     */
    public static void assertDropPathOnlyInTraining(Function<StagedParams, ? extends Block> build) {
        Block net = build.apply(new StagedParams(List.of(1, 1, 2, 1), List.of(8, 16, 24, 32), 2, 0.5, 1.0, null));
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Engine.getEngine("PyTorch").setRandomSeed(42);
            net.initialize(m, DataType.FLOAT32, IMAGES);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(IMAGES);
            NDList a = net.forward(ps, new NDList(x), false, null);
            NDList b = net.forward(ps, new NDList(x), false, null);
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).toFloatArray(), b.get(i).toFloatArray(), "stage " + (i + 1));
            }
            NDList t1 = net.forward(ps, new NDList(x), true, null);
            NDList t2 = net.forward(ps, new NDList(x), true, null);
            int lastIndex = a.size() - 1;
            NDArray last = a.get(lastIndex);
            assertFalse(last.contentEquals(t1.get(lastIndex)) && last.contentEquals(t2.get(lastIndex)),
                    "drop path never fired");
        }
    }

    /** The trainable parameters of {@code net}, initialised for one 64x64 RGB image. */
    public static long trainableParameters(Block net) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            return Layers.trainableParameterCount(net);
        }
    }

    /** The root mean square: the standard deviation of values drawn around 0, as weight initialisers draw them. */
    public static double rms(float[] v) {
        double sq = 0;
        for (float f : v) {
            sq += (double) f * f;
        }
        return Math.sqrt(sq / v.length);
    }
}
