package io.sslseg.api.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import ai.djl.nn.SequentialBlock;
import io.sslseg.api.SslsegException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParameterFileTest extends NnTesting.WithManager {
    private static final Shape INPUT = new Shape(1, 3, 8, 8);
    @TempDir
    Path dir;

    private Block net(int... widths) {
        SequentialBlock block = new SequentialBlock();
        for (int w : widths) {
            block.add(Layers.conv2d(w, 3, 1, 1, false)).add(Layers.batchNorm());
        }
        block.initialize(m, DataType.FLOAT32, INPUT);
        return block;
    }

    private static void assertSameValues(Block expected, Block actual) {
        ParameterList a = expected.getParameters(), b = actual.getParameters();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).getValue().getArray(), b.get(i).getValue().getArray(), a.get(i).getKey());
            assertEquals(a.get(i).getValue().requiresGradient(), b.get(i).getValue().getArray().hasGradient(),
                    a.get(i).getKey() + " gradient flag");
        }
    }

    @Test
    void roundTripsABlockStream() throws IOException {
        Block saved = net(4, 6);
        Path file = dir.resolve("w.params");
        ParameterFile.save(saved, file);
        Block loaded = net(4, 6);
        ParameterFile.load(loaded, file, m);
        assertSameValues(saved, loaded);
    }

    @Test
    void readsModelSaveFilesToo() throws IOException {
        Block saved = net(4, 6);
        try (Model model = Model.newInstance("w", Device.cpu(), "PyTorch")) {
            model.setBlock(saved);
            model.save(dir, "w");
        }
        Block loaded = net(4, 6);
        ParameterFile.load(loaded, dir.resolve("w-0000.params"), m);
        assertSameValues(saved, loaded);
    }

    @Test
    void namesTheFileAndTheParameterOnAShapeMismatch() throws IOException {
        Path file = dir.resolve("narrow.params");
        ParameterFile.save(net(4, 6), file);
        SslsegException e = assertThrows(SslsegException.class, () -> ParameterFile.load(net(4, 8), file, m));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("03Conv2d_weight") && e.getMessage().contains("(6, 4, 3, 3)"), e.getMessage());
    }

    @Test
    void namesTheFileWhenTheArchitectureDiffers() throws IOException {
        Path small = dir.resolve("small.params");
        ParameterFile.save(net(4), small);
        Path big = dir.resolve("big.params");
        ParameterFile.save(net(4, 6), big);
        for (Runnable load : List.<Runnable>of(
                () -> ParameterFile.load(net(4, 6), small, m),   // file too short
                () -> ParameterFile.load(net(4), big, m))) {      // file too long
            SslsegException e = assertThrows(SslsegException.class, load::run);
            assertTrue(e.getMessage().contains("does not fit this model"), e.getMessage());
        }
    }

    @Test
    void weightsPathsAreCheckedAtCreation() {
        assertNull(ParameterFile.checkedPath(null, "toy"));
        assertNull(ParameterFile.checkedPath("  ", "toy"));
        SslsegException e = assertThrows(SslsegException.class,
                () -> ParameterFile.checkedPath(dir.resolve("missing.params").toString(), "toy"));
        assertTrue(e.getMessage().startsWith("toy weights file not found:"), e.getMessage());
        assertTrue(e.getMessage().contains("missing.params"), e.getMessage());
    }

    @Test
    void aPendingFileLoadsAtTheFirstInitialisationOnly() throws IOException {
        Path file = dir.resolve("w.params");
        Block saved = net(4, 6);
        ParameterFile.save(saved, file);
        ParameterFile.Pending pending = new ParameterFile.Pending(file);
        Block first = net(4, 6), second = net(4, 6);
        pending.loadInto(first, m);
        pending.loadInto(second, m); // already loaded: nothing happens, even into another block
        new ParameterFile.Pending(null).loadInto(second, m); // no file: nothing to load
        assertSameValues(saved, first);
        assertThrows(AssertionError.class, () -> assertSameValues(saved, second));
    }
}
