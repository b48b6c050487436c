package io.sslseg.plugins.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.SslsegException;
import io.sslseg.api.model.DecoderContext;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.model.TwoStageDecoder;
import io.sslseg.api.nn.Layers;
import io.sslseg.testkit.DecoderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

class UNetDecoderTest {
    private static final int C = 11;
    /** The default encoder's layout: ResNet-18 width 32, light stem, output stride 8 (layer3 and layer4 share it). */
    private static final FeatureInfo RESNET_OS8 = new FeatureInfo(List.of(
            new FeatureInfo.Stage("layer1", 32, 2), new FeatureInfo.Stage("layer2", 64, 4),
            new FeatureInfo.Stage("layer3", 128, 8), new FeatureInfo.Stage("layer4", 256, 8)));

    private static TwoStageDecoder decoder(UNetDecoderParams params, FeatureInfo features) {
        return UNetDecoder.create(params, new DecoderContext(features, C));
    }

    @Test
    void fusesTheDeepestStageOfEachStrideDownToTheFinest() {
        TwoStageDecoder d = decoder(UNetDecoderParams.DEFAULTS, RESNET_OS8);
        assertEquals(2, d.neckStride(), "z sits on the finest stage's grid");
        assertEquals(32, d.neckChannels(), "the finest level has `width` channels");
        Shape[] in = RESNET_OS8.stages().stream().map(s -> new Shape(2, s.channels(), 64 / s.stride(), 64 / s.stride()))
                .toArray(Shape[]::new);
        assertEquals(new Shape(2, 32, 32, 32), d.neck().getOutputShapes(in)[0]);

        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            d.block().initialize(m, DataType.FLOAT32, in);
            // level 1 (stride 4): layer4 (256, layer3 skipped) + layer2 (64) -> 64 -> 64; level 2 (stride 2):
            // 64 + layer1 (32) -> 32 -> 32; head: 32 -> 32 at 64x64, 1x1 to C with bias. Each 3x3 conv has no
            // bias and a BN (gamma, beta).
            long level1 = 9L * 320 * 64 + 2 * 64 + 9L * 64 * 64 + 2 * 64;
            long level2 = 9L * 96 * 32 + 2 * 32 + 9L * 32 * 32 + 2 * 32;
            long head = 9L * 32 * 32 + 2 * 32 + 32L * C + C;
            assertEquals(level1 + level2 + head, Layers.trainableParameterCount(d.block()));
        }
    }

    @Test
    void meetsTheDecoderContractOnTheDefaultEncodersLayoutAndWithoutHeadConvs() {
        DecoderContract.check("unet on ResNet OS8", decoder(UNetDecoderParams.DEFAULTS, RESNET_OS8), RESNET_OS8, 64);
        DecoderContract.check("unet, headConvs 0", decoder(new UNetDecoderParams(16, 1, 0), RESNET_OS8), RESNET_OS8, 64);
    }

    @Test
    void aSingleStageEncoderGetsConvsThenTheHead() {
        FeatureInfo one = new FeatureInfo(List.of(new FeatureInfo.Stage("out", 24, 4)));
        TwoStageDecoder d = decoder(new UNetDecoderParams(16, 2, 1), one);
        assertEquals(4, d.neckStride());
        assertEquals(16, d.neckChannels());
        DecoderContract.check("unet on one stage", d, one, 32);
    }

    @Test
    void auxiliaryHeadsAreFreshBlocksOfTheSameShape() {
        TwoStageDecoder d = decoder(UNetDecoderParams.DEFAULTS, RESNET_OS8);
        Shape z = new Shape(2, 32, 32, 32);
        assertNotSame(d.head(), d.newHead());
        assertEquals(new Shape(2, C, 64, 64), d.newHead().getOutputShapes(new Shape[] {z})[0]);
        assertEquals(d.head().getOutputShapes(new Shape[] {z})[0], d.newHead().getOutputShapes(new Shape[] {z})[0]);
    }

    @Test
    void refusesStagesItCannotWalkUpwards() {
        FeatureInfo coarseFirst = new FeatureInfo(List.of(
                new FeatureInfo.Stage("a", 8, 8), new FeatureInfo.Stage("b", 8, 4)));
        SslsegException e = assertThrows(SslsegException.class, () -> decoder(UNetDecoderParams.DEFAULTS, coarseFirst));
        assertTrue(e.getMessage().contains("stage a (stride 8)"), e.getMessage());

        FeatureInfo oddFactor = new FeatureInfo(List.of(
                new FeatureInfo.Stage("a", 8, 3), new FeatureInfo.Stage("b", 8, 8)));
        e = assertThrows(SslsegException.class, () -> decoder(UNetDecoderParams.DEFAULTS, oddFactor));
        assertTrue(e.getMessage().contains("stage a has stride 3"), e.getMessage());
    }

    @Test
    void refusesBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new UNetDecoderParams(0, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new UNetDecoderParams(32, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new UNetDecoderParams(32, 2, -1));
    }
}
