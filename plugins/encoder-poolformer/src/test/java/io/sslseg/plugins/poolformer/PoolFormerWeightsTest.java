package io.sslseg.plugins.poolformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.sslseg.api.SslsegException;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.api.nn.ParameterFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolFormerWeightsTest {
    private static final Shape IMAGES = new Shape(1, 3, 32, 32);
    private static final PoolFormerParams SMALL =
            new PoolFormerParams(List.of(1, 1, 2, 1), List.of(8, 16, 24, 32), 2, 0.1, 1e-2, null);

    @TempDir
    Path dir;

    private static Block encoder(PoolFormerParams p) {
        return PoolFormer.factory(PoolFormer.Size.XXS64).create(p, new EncoderContext(3)).block();
    }

    private Path saved(NDManager m, Block trained) throws IOException {
        trained.initialize(m, DataType.FLOAT32, IMAGES);
        Path file = dir.resolve("poolformer-small.params");
        ParameterFile.save(trained, file);
        return file;
    }

    @Test
    void aSavedEncoderLoadsIntoAFreshOneWithTheSameOutputs() throws IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Block trained = encoder(SMALL);
            Path file = saved(m, trained);
            Block loaded = encoder(SMALL.withWeights(file.toString()));
            loaded.initialize(m, DataType.FLOAT32, IMAGES);

            NDArray x = m.randomNormal(IMAGES);
            NDList a = trained.forward(new ParameterStore(m, false), new NDList(x), false, null);
            NDList b = loaded.forward(new ParameterStore(m, false), new NDList(x), false, null);
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).toFloatArray(), b.get(i).toFloatArray(), "stage " + (i + 1));
            }
        }
    }

    @Test
    void aFileForOtherWidthsNamesTheFirstParameterThatDiffers() throws IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Path file = saved(m, encoder(SMALL));
            Block wider = encoder(SMALL.withWidths(List.of(8, 16, 24, 40)).withWeights(file.toString()));
            SslsegException e = assertThrows(SslsegException.class,
                    () -> wider.initialize(m, DataType.FLOAT32, IMAGES));
            assertTrue(e.getMessage().startsWith("weights file " + file + " does not fit"), e.getMessage());
            // The first width-dependent parameter: downsample4's conv weight (32 vs 40 filters).
            assertTrue(e.getMessage().contains("parameter ") && e.getMessage().contains("downsample4")
                    && e.getMessage().contains("(40, 24, 3, 3)"), e.getMessage());

            Block deeper = encoder(new PoolFormerParams(List.of(1, 2, 2, 1), SMALL.widths(), 2, 0.1, 1e-2,
                    file.toString()));
            e = assertThrows(SslsegException.class, () -> deeper.initialize(m, DataType.FLOAT32, IMAGES));
            assertTrue(e.getMessage().startsWith("weights file " + file + " does not fit"), e.getMessage());
        }
    }

    @Test
    void aMissingFileFailsAtCreation() {
        SslsegException e = assertThrows(SslsegException.class,
                () -> encoder(SMALL.withWeights(dir.resolve("nope.params").toString())));
        assertTrue(e.getMessage().contains("poolformer weights file not found"), e.getMessage());
        assertTrue(e.getMessage().contains("nope.params"), e.getMessage());
    }
}
