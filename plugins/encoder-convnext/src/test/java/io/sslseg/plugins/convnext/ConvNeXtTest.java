package io.sslseg.plugins.convnext;

import static io.sslseg.testkit.StagedEncoderContract.rms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.api.Components;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.nn.StagedBackbone;
import io.sslseg.api.nn.StagedParams;
import io.sslseg.platform.config.ConfigException;
import io.sslseg.platform.config.ParamBinder;
import io.sslseg.testkit.Registered;
import io.sslseg.testkit.StagedEncoderContract;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConvNeXtTest {
    @Test
    void registersEverySizeWithItsDefaults() {
        Map<String, EncoderFactory<?>> encoders = Registered.components(new ConvNeXtModule(), Components.ENCODER);
        assertEquals(Set.of("convnext-atto", "convnext-femto", "convnext-pico", "convnext-nano", "convnext-tiny",
                "convnext-small", "convnext-base", "convnext-zepto64", "convnext-atto64"), encoders.keySet());
        assertEquals(new StagedParams(List.of(2, 2, 4, 2), List.of(32, 64, 128, 256), 2, 0.1, 1e-6, null),
                encoders.get("convnext-zepto64").defaults());
        assertEquals(0.5, ((StagedParams) encoders.get("convnext-base").defaults()).dropPath());
    }

    /**
     * Encoder parameters = the reference classifier's count - its head + the four output norms of the reference's
     * segmentation backbone. The head is the final LayerNorm (2 x C4) and the Linear to 1000 classes (C4 x 1000 +
     * 1000); the output norms are 2 x (sum of widths). Reference counts: facebookresearch/ConvNeXt (the same as
     * torchvision's convnext_tiny/small/base).
     */
    @ParameterizedTest(name = "{0}: {1} - {2} + {3}")
    @CsvSource({
        "TINY, 28589128, 770536, 2880",
        "SMALL, 50223688, 770536, 2880",
        "BASE, 88591464, 1027048, 3840",
    })
    void publishedSizesHaveTheReferenceParameterCountWithoutTheHead(ConvNeXt.Size size, long reference, long head,
            long outputNorms) {
        assertEquals(reference - head + outputNorms, parameters(size.defaults));
    }

    /** timm's sizes, against the rounded counts of the design notes (with the 1000-class head). */
    @ParameterizedTest(name = "{0}: {1} M with the head")
    @CsvSource({
        "ATTO, 3.70, 0.005, 320",
        "FEMTO, 5.22, 0.005, 384",
        "PICO, 9.05, 0.005, 512",
        "NANO, 15.6, 0.05, 640",
    })
    void timmSizesMatchTheirPublishedCounts(ConvNeXt.Size size, double millions, double rounding, int lastWidth) {
        long head = 2L * lastWidth + lastWidth * 1000L + 1000;
        long outputNorms = 2L * size.defaults.widths().stream().mapToInt(Integer::intValue).sum();
        double withHead = (parameters(size.defaults) + head - outputNorms) / 1e6;
        assertEquals(millions, withHead, rounding);
    }

    @Test
    void the64VariantsHaveTheSizesOfTheDesignNotes() {
        // zepto64 1.90 M (1,898,720) and atto with the stride-2 stem 3.37 M (3,372,440), backbone
        // only; plus the output norms 2 x (sum of widths).
        assertEquals(1_898_720 + 960, parameters(ConvNeXt.Size.ZEPTO64.defaults));
        assertEquals(3_372_440 + 1_200, parameters(ConvNeXt.Size.ATTO64.defaults));
    }

    private static long parameters(StagedParams p) {
        return StagedEncoderContract.trainableParameters(ConvNeXt.build(p));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ATTO, '4,8,16,32'", "BASE, '4,8,16,32'", "ZEPTO64, '2,4,8,16'", "ATTO64, '2,4,8,16'"})
    void publishesOneStagePerConvNeXtStage(ConvNeXt.Size size, String strides) {
        List<Integer> expected = Arrays.stream(strides.split(",")).map(Integer::valueOf).toList();
        StagedEncoderContract.assertPublishesStages(ConvNeXt.build(size.defaults), expected, size.defaults.widths());
    }

    @Test
    void dropPathIsOffInInferenceAndOnInTraining() {
        StagedEncoderContract.assertDropPathOnlyInTraining(ConvNeXt::build);
    }

    @Test
    void initialisesLikeTheReference() {
        StagedBackbone net = ConvNeXt.build(new StagedParams(List.of(1, 1, 1, 1), List.of(16, 32, 48, 64), 4, 0,
                1e-6, null));
        StagedEncoderContract.forEachInitialParameter(net, (name, p) -> {
            float[] v = p.getArray().toFloatArray();
            switch (p.getType()) {
                case OTHER -> { // layer scale
                    for (float f : v) {
                        assertEquals(1e-6f, f, name);
                    }
                }
                case WEIGHT -> assertEquals(0.02, rms(v), 0.005, name); // every conv: N(0, 0.02)
                case BIAS, BETA -> assertEquals(0.0, rms(v), name);
                case GAMMA -> assertEquals(1.0, rms(v), 1e-6, name);
                default -> throw new AssertionError("unexpected parameter " + name);
            }
        });
    }

    @Test
    void aConfigBlockOverridesTheDefaultsOfASize() {
        ParamBinder binder = new ParamBinder();
        StagedParams p = binder.bind(StagedParams.class, ConvNeXt.Size.TINY.defaults,
                Map.of("widths", List.of(16, 32, 64, 128), "stemStride", 2), "model.encoder");
        assertEquals(new StagedParams(List.of(3, 3, 9, 3), List.of(16, 32, 64, 128), 2, 0.1, 1e-6, null), p);
        assertEquals(List.of("depths", "widths", "stemStride", "dropPath", "layerScaleInit", "weights"),
                List.copyOf(binder.toMap(p).keySet()));
        ConfigException e = assertThrows(ConfigException.class, () -> binder.bind(StagedParams.class,
                ConvNeXt.Size.TINY.defaults, Map.of("depths", List.of(3, 3, 9)), "model.encoder"));
        assertTrue(e.getMessage().contains("depths and widths need one entry per stage"), e.getMessage());
    }

    @Test
    void rejectsUnsupportedSettings() {
        StagedParams d = ConvNeXt.Size.TINY.defaults;
        assertThrows(IllegalArgumentException.class,
                () -> new StagedParams(d.depths(), d.widths(), 8, 0.1, 1e-6, null));
        assertThrows(IllegalArgumentException.class, () -> d.withDropPath(-0.1));
        assertThrows(IllegalArgumentException.class, () -> d.withWidths(List.of(96, 192, 384, 0)));
        assertThrows(IllegalArgumentException.class, () -> new StagedParams(d.depths(), d.widths(), 4, 0.1,
                Double.NaN, null));
    }
}
