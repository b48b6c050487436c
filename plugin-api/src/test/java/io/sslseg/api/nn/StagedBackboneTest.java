package io.sslseg.api.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.sslseg.api.SslsegException;
import io.sslseg.api.model.FeatureInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StagedBackbone} and {@link ConvMlp}, on a two-stage toy. */
class StagedBackboneTest {
    @TempDir
    Path dir;

    private static StagedBackbone toy(int width, Path weights) {
        Block stage1 = new SequentialBlock().add(new ScaledResidual(ConvMlp.create(width, 2 * width), 1e-5f, 0.1f));
        Block stage2 = new SequentialBlock().add(new ScaledResidual(ConvMlp.create(2 * width, 4 * width), 1e-5f, 0.1f));
        return new StagedBackbone(Layers.conv2d(width, 3, 2, 1, true), List.of(
                new StagedBackbone.Stage("s1", null, stage1, GroupNorm.oneGroup(), width, 2),
                new StagedBackbone.Stage("s2", Layers.conv2d(2 * width, 3, 2, 1, true), stage2, null, 2 * width, 4)),
                weights);
    }

    @Test
    void returnsOneMapPerStageAsPublished() {
        StagedBackbone net = toy(4, null);
        assertEquals(List.of(new FeatureInfo.Stage("s1", 4, 2), new FeatureInfo.Stage("s2", 8, 4)),
                net.features().stages());
        assertEquals(net, net.block());
        Shape in = new Shape(2, 3, 16, 16);
        assertArrayEquals(new Shape[] {new Shape(2, 4, 8, 8), new Shape(2, 8, 4, 4)},
                net.getOutputShapes(new Shape[] {in}));
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            net.initialize(m, DataType.FLOAT32, in);
            NDList out = net.forward(new ParameterStore(m, false), new NDList(m.randomNormal(in)), false, null);
            assertArrayEquals(net.getOutputShapes(new Shape[] {in}), out.getShapes());
            // stem 3*4*9+4, stage 1: MLP (4*8+8) + (8*4+4), scale 4, norm 2*4; downsample 4*8*9+8; stage 2: MLP
            // (8*16+16) + (16*8+8), scale 8.
            long expected = 112 + (40 + 36 + 4 + 8) + 296 + (144 + 136 + 8);
            assertEquals(expected, Layers.trainableParameterCount(net));
        }
    }

    @Test
    void mlpConvsStartWithStdTwoHundredths() {
        Block mlp = ConvMlp.create(64, 256);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            mlp.initialize(m, DataType.FLOAT32, new Shape(1, 64, 4, 4));
            for (Parameter p : mlp.getParameters().values()) {
                float[] v = p.getArray().toFloatArray();
                double sq = 0;
                for (float f : v) {
                    sq += f * f;
                }
                double std = Math.sqrt(sq / v.length);
                if (p.getType() == Parameter.Type.WEIGHT) {
                    assertEquals(0.02, std, 0.001, p.getName());
                } else {
                    assertEquals(0.0, std, p.getName());
                }
            }
        }
    }

    @Test
    void loadsAWeightsFileAtInitialisationAndNamesAMismatchingParameter() throws IOException {
        Shape in = new Shape(1, 3, 8, 8);
        Path file = dir.resolve("toy.params");
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            StagedBackbone saved = toy(4, null);
            saved.initialize(m, DataType.FLOAT32, in);
            ParameterFile.save(saved, file);

            StagedBackbone loaded = toy(4, ParameterFile.checkedPath(file.toString(), "toy"));
            loaded.initialize(m, DataType.FLOAT32, in);
            for (int i = 0; i < saved.getParameters().size(); i++) {
                assertEquals(saved.getParameters().get(i).getValue().getArray(),
                        loaded.getParameters().get(i).getValue().getArray());
            }
            StagedBackbone wider = toy(6, file);
            SslsegException e = assertThrows(SslsegException.class, () -> wider.initialize(m, DataType.FLOAT32, in));
            assertTrue(e.getMessage().contains("parameter 01stem_weight"), e.getMessage());
        }
    }

    @Test
    void stageListsMustMatchAndBePositive() {
        StagedBackbone.checkStages(List.of(2, 2), List.of(8, 16));
        assertThrows(IllegalArgumentException.class, () -> StagedBackbone.checkStages(List.of(2), List.of(8, 16)));
        assertThrows(IllegalArgumentException.class, () -> StagedBackbone.checkStages(List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> StagedBackbone.checkStages(List.of(0, 2), List.of(8, 16)));
        assertThrows(IllegalArgumentException.class, () -> StagedBackbone.checkStages(null, List.of(8)));
    }
}
