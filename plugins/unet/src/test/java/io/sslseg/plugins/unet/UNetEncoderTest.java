package io.sslseg.plugins.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.sslseg.api.model.DecoderContext;
import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.nn.Layers;
import java.util.List;
import org.junit.jupiter.api.Test;

class UNetEncoderTest {
    private static final Shape IMAGES = new Shape(2, 3, 64, 64);

    @Test
    void everyLevelIsAStageAtTwiceTheStrideAndChannelsOfTheOneAbove() {
        Encoder encoder = UNetEncoder.factory().create(UNetEncoderParams.DEFAULTS, new EncoderContext(3));
        assertEquals(List.of(new FeatureInfo.Stage("level1", 32, 1), new FeatureInfo.Stage("level2", 64, 2),
                new FeatureInfo.Stage("level3", 128, 4), new FeatureInfo.Stage("level4", 256, 8)),
                encoder.features().stages());
        Shape[] out = encoder.block().getOutputShapes(new Shape[] {IMAGES});
        for (int i = 0; i < out.length; i++) {
            FeatureInfo.Stage s = encoder.features().stages().get(i);
            assertEquals(new Shape(2, s.channels(), 64 / s.stride(), 64 / s.stride()), out[i], s.name());
        }
    }

    /** The benchmark's "small U-Net, width 32, 1.9 M" (fashion-scenes.md): this pair is that network. */
    @Test
    void encoderAndDecoderTogetherHaveTheBenchmarkUNetsParameters() {
        Encoder encoder = UNetEncoder.factory().create(UNetEncoderParams.DEFAULTS, new EncoderContext(3));
        Block decoder = UNetDecoder.create(new UNetDecoderParams(32, 2, 0),
                new DecoderContext(encoder.features(), 11)).block();
        // Per conv: 9 x in x out weights, no bias; per BN: gamma and beta.
        long encoderParams = level(3, 32) + level(32, 64) + level(64, 128) + level(128, 256);
        long decoderParams = level(256 + 128, 128) + level(128 + 64, 64) + level(64 + 32, 32) + 32 * 11 + 11;
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            encoder.block().initialize(m, DataType.FLOAT32, IMAGES);
            decoder.initialize(m, DataType.FLOAT32, encoder.block().getOutputShapes(new Shape[] {IMAGES}));
            assertEquals(encoderParams, Layers.trainableParameterCount(encoder.block()));
            assertEquals(decoderParams, Layers.trainableParameterCount(decoder));
            assertEquals(1_948_619, encoderParams + decoderParams);
        }
    }

    /** Two 3x3 conv-BN layers, in -> out -> out. */
    private static long level(int in, int out) {
        return 9L * in * out + 2 * out + 9L * out * out + 2 * out;
    }

    @Test
    void refusesBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new UNetEncoderParams(0, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> new UNetEncoderParams(32, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new UNetEncoderParams(32, 7, 2));
        assertThrows(IllegalArgumentException.class, () -> new UNetEncoderParams(32, 4, 0));
    }
}
