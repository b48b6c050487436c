package io.sslseg.plugins.poolformer;

import static io.sslseg.testkit.StagedEncoderContract.rms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
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

class PoolFormerTest {
    @Test
    void registersEverySizeWithItsDefaults() {
        Map<String, EncoderFactory<?>> encoders = Registered.components(new PoolFormerModule(), Components.ENCODER);
        assertEquals(Set.of("poolformer-s12", "poolformer-s24", "poolformer-s36", "poolformer-m36", "poolformer-m48",
                "poolformer-xxs64"), encoders.keySet());
        assertEquals(new StagedParams(List.of(2, 2, 4, 2), List.of(32, 64, 128, 256), 2, 0.1, 1e-5, null),
                encoders.get("poolformer-xxs64").defaults());
        assertEquals(1e-6, ((StagedParams) encoders.get("poolformer-m48").defaults()).layerScaleInit());
    }

    /**
     * Encoder parameters = the reference classifier's count - its head + the four {@code fork_feat} output norms.
     * The head is the final GroupNorm (2 x 512 or 2 x 768) and the Linear to 1000 classes (512 x 1000 + 1000 or
     * 768 x 1000 + 1000); the output norms are 2 x (sum of widths). The reference counts are sail-sg/poolformer's
     * (README: 12/21/31/56/73 M; exact figures re-derived layer by layer from models/poolformer.py).
     */
    @ParameterizedTest(name = "{0}: {1} - {2} + {3}")
    @CsvSource({
        "S12, 11915176, 514024, 2048",
        "S24, 21388968, 514024, 2048",
        "S36, 30862760, 514024, 2048",
        "M36, 56172520, 770536, 2880",
        "M48, 73473448, 770536, 2880",
    })
    void publishedSizesHaveTheReferenceParameterCountWithoutTheHead(PoolFormer.Size size, long reference, long head,
            long outputNorms) {
        assertEquals(reference - head + outputNorms, parameters(size.defaults));
    }

    @Test
    void the64VariantHasTheSizeOfTheDesignNotes() {
        // 2.06 M backbone parameters (2,060,416), plus the output norms 2 x (32+64+128+256).
        assertEquals(2_060_416 + 960, parameters(PoolFormer.Size.XXS64.defaults));
    }

    private static long parameters(StagedParams p) {
        return StagedEncoderContract.trainableParameters(PoolFormer.build(p));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"S12, '4,8,16,32'", "M36, '4,8,16,32'", "XXS64, '2,4,8,16'"})
    void publishesOneStagePerMetaFormerStage(PoolFormer.Size size, String strides) {
        List<Integer> expected = Arrays.stream(strides.split(",")).map(Integer::valueOf).toList();
        StagedEncoderContract.assertPublishesStages(PoolFormer.build(size.defaults), expected, size.defaults.widths());
    }

    @Test
    void theTokenMixerOfAConstantMapIsZeroUpToTheBorder() {
        // With the padding counted, a border window of ones would average 4/9 or 6/9, and the mixer would not vanish.
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray mixed = PoolFormer.poolMixer(m.full(new Shape(1, 2, 5, 5), 3f));
            assertEquals(0f, mixed.abs().max().getFloat(), 1e-6f);
        }
    }

    @Test
    void dropPathIsOffInInferenceAndOnInTraining() {
        StagedEncoderContract.assertDropPathOnlyInTraining(PoolFormer::build);
    }

    @Test
    void initialisesLikeTheReference() {
        StagedBackbone net = PoolFormer.build(new StagedParams(List.of(1, 1, 1, 1), List.of(16, 32, 48, 64), 4, 0,
                1e-5, null));
        StagedEncoderContract.forEachInitialParameter(net, (name, p) -> {
            float[] v = p.getArray().toFloatArray();
            if (p.getType() == Parameter.Type.OTHER) {
                for (float f : v) {
                    assertEquals(1e-5f, f, name); // layer scale
                }
            } else if (p.getType() == Parameter.Type.WEIGHT && (name.contains("stem") || name.contains("downsample"))) {
                // PyTorch's default conv init: U(+-1/sqrt(fan_in))
                long fanIn = p.getShape().size() / p.getShape().get(0);
                for (float f : v) {
                    assertTrue(Math.abs(f) <= 1 / Math.sqrt(fanIn), name);
                }
            } else if (p.getType() == Parameter.Type.WEIGHT) {
                assertEquals(0.02, rms(v), 0.004, name); // MLP convs: N(0, 0.02)
            }
        });
        Conv2d stem = PoolFormer.patchEmbedding(8, 4);
        assertEquals(List.of(new Shape(7, 7), new Shape(4, 4), new Shape(2, 2)),
                List.of(stem.getKernelShape(), stem.getStride(), stem.getPadding()));
        assertEquals(new Shape(3, 3), PoolFormer.patchEmbedding(8, 2).getPadding());
    }

    @Test
    void aConfigBlockOverridesTheDefaultsOfASize() {
        ParamBinder binder = new ParamBinder();
        StagedParams p = binder.bind(StagedParams.class, PoolFormer.Size.S12.defaults,
                Map.of("widths", List.of(16, 32, 80, 128), "dropPath", 0.2), "model.encoder");
        assertEquals(new StagedParams(List.of(2, 2, 6, 2), List.of(16, 32, 80, 128), 4, 0.2, 1e-5, null), p);
        assertEquals(List.of("depths", "widths", "stemStride", "dropPath", "layerScaleInit", "weights"),
                List.copyOf(binder.toMap(p).keySet()));
        ConfigException e = assertThrows(ConfigException.class, () -> binder.bind(StagedParams.class,
                PoolFormer.Size.S12.defaults, Map.of("stemStride", 3), "model.encoder"));
        assertTrue(e.getMessage().contains("stemStride must be 2 or 4"), e.getMessage());
    }

    @Test
    void rejectsUnsupportedSettings() {
        StagedParams d = PoolFormer.Size.S12.defaults;
        assertThrows(IllegalArgumentException.class,
                () -> new StagedParams(d.depths(), d.widths(), 3, 0.1, 1e-5, null));
        assertThrows(IllegalArgumentException.class, () -> d.withDropPath(1.0));
        assertThrows(IllegalArgumentException.class, () -> d.withWidths(List.of(64, 128, 320)));
        assertThrows(IllegalArgumentException.class,
                () -> new StagedParams(d.depths(), d.widths(), 4, 0.1, -1, null));
    }
}
