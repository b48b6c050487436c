package io.sslseg.plugins.cct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import ai.djl.util.Pair;
import io.sslseg.api.SslsegException;
import io.sslseg.api.model.Decoder;
import io.sslseg.api.model.DecoderContext;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.nn.Layers;
import io.sslseg.testkit.DecoderContract;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CctDecoderTest {
    private static final FeatureInfo.Stage OS8 = new FeatureInfo.Stage("layer4", 32, 8);
    private NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        m.close();
    }

    @Test
    void parameterCountsMatchTheReference() {
        // ResNet-50 features (2048) -> PSP 512, VOC's 21 classes, stride 8.
        PspNeck neck = new PspNeck(2048, 512, PspNeck.BINS);
        neck.initialize(m, DataType.FLOAT32, new Shape(1, 2048, 8, 8));
        assertEquals(23_073_792, Layers.trainableParameterCount(neck));
        UpsampleHead head = new UpsampleHead(21, 8, true);
        head.initialize(m, DataType.FLOAT32, new Shape(1, 512, 8, 8));
        assertEquals(16_296, Layers.trainableParameterCount(head)); // 10,752 + 3 x 1,848
    }

    @Test
    void icnrStartsTheFourSubPixelChannelsIdentical() {
        UpsampleHead head = new UpsampleHead(64, 8, true);
        head.initialize(m, DataType.FLOAT32, new Shape(1, 16, 2, 2));
        int steps = 0;
        for (Pair<String, Parameter> p : head.getParameters()) {
            if (p.getKey().startsWith("01") || !p.getKey().endsWith("weight")) {
                continue; // the classifier (child 01) is plain kaiming
            }
            steps++;
            NDArray w = p.getValue().getArray();
            assertEquals(new Shape(256, 64, 1, 1), w.getShape());
            NDArray grouped = w.reshape(64, 4, 64);
            NDArray first = grouped.get(":, 0:1, :");
            assertEquals(0f, grouped.sub(first).abs().max().getFloat(), p.getKey());
            // S ~ N(0, sqrt(2 / C_in)): 4096 draws, so the sample std is within a few percent.
            float std = first.sub(first.mean()).square().mean().sqrt().getFloat();
            assertEquals(Math.sqrt(2.0 / 64), std, 0.01, p.getKey() + " std");
        }
        assertEquals(3, steps);
    }

    @Test
    void atInitTheHeadUpsamplesLikeNearestNeighbourUpToItsBiases() {
        // ICNR + pixel shuffle: with the (random, per-channel) biases zeroed, every 8x8 output block comes from
        // one z cell and is constant.
        UpsampleHead head = new UpsampleHead(5, 8, false);
        Shape z = new Shape(2, 16, 3, 4);
        head.initialize(m, DataType.FLOAT32, z);
        head.getParameters().values().stream().filter(p -> p.getType() == Parameter.Type.BIAS)
                .forEach(p -> p.getArray().muli(0));
        NDArray logits = forward(head, z, false);
        assertEquals(new Shape(2, 5, 24, 32), logits.getShape());
        // (N, C, 3 rows of blocks, 4 columns of blocks, 64 pixels per block); DJL reduces one axis at a time.
        NDArray blocks = logits.reshape(2, 5, 3, 8, 4, 8).transpose(0, 1, 2, 4, 3, 5).reshape(2, 5, 3, 4, 64);
        NDArray spread = blocks.max(new int[] {4}).sub(blocks.min(new int[] {4}));
        assertEquals(0f, spread.max().getFloat(), 1e-6f);
        assertTrue(logits.abs().max().getFloat() > 0f);
    }

    @Test
    void theReferenceQuirkMakesEveryLogitNonNegative() {
        Shape z = new Shape(2, 16, 4, 4);
        assertTrue(forward(new UpsampleHead(5, 4, true), z, true).min().getFloat() >= 0f);
        assertTrue(forward(new UpsampleHead(5, 4, false), z, true).min().getFloat() < 0f);
    }

    @Test
    void logitsAreAtInputResolutionForEveryPowerOfTwoStride() {
        for (int stride : new int[] {4, 8, 16}) {
            FeatureInfo info = new FeatureInfo(List.of(new FeatureInfo.Stage("last", 24, stride)));
            Block block = CctMainDecoder.factory().create(CctMainDecoderParams.DEFAULTS, new DecoderContext(info, 7)).block();
            int side = 64 / stride; // at stride 16 the 4x4 grid is smaller than bin 6: pooling up, resizing down
            NDArray logits = forward(block, new Shape(2, 24, side, side), true);
            assertEquals(new Shape(2, 7, 64, 64), logits.getShape(), "stride " + stride);
        }
    }

    @Test
    void theVariantWithoutTheQuirkAlsoMeetsTheContract() {
        FeatureInfo info = new FeatureInfo(List.of(OS8));
        Decoder decoder = CctMainDecoder.factory().create(new CctMainDecoderParams(16, false, 0, 0), new DecoderContext(info, DecoderContract.CLASSES));
        DecoderContract.check("cct-main without final ReLU", decoder, info, DecoderContract.SIZE);
    }

    @Test
    void rejectsStridesPixelShufflesCannotUndo() {
        FeatureInfo info = new FeatureInfo(List.of(new FeatureInfo.Stage("odd", 32, 12)));
        SslsegException e = assertThrows(SslsegException.class,
                () -> CctMainDecoder.factory().create(CctMainDecoderParams.DEFAULTS, new DecoderContext(info, 7)));
        assertTrue(e.getMessage().contains("12"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CctMainDecoderParams(0, true, 0, 0));
    }

    @Test
    void theDecoderReadsTheLastStageOnly() {
        FeatureInfo info = new FeatureInfo(List.of(new FeatureInfo.Stage("early", 8, 4), OS8));
        Block block = CctMainDecoder.factory().create(CctMainDecoderParams.DEFAULTS, new DecoderContext(info, 3)).block();
        Shape[] in = {new Shape(2, 8, 16, 16), new Shape(2, 32, 8, 8)};
        assertEquals(new Shape(2, 3, 64, 64), block.getOutputShapes(in)[0]);
    }

    /** One forward of a freshly initialised block on a normal(0, 1) input. */
    private NDArray forward(Block block, Shape input, boolean training) {
        Engine.getEngine("PyTorch").setRandomSeed(7);
        block.initialize(m, DataType.FLOAT32, input);
        return block.forward(new ParameterStore(m, false), new NDList(m.randomNormal(input)), training, null)
                .singletonOrThrow();
    }
}
