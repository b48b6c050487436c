package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import io.sslseg.api.SslsegException;
import io.sslseg.api.nn.ParameterFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The weights-file contract of a component with a {@code weights} parameter (a DJL parameter file, read with
 * {@code ParameterFile}): the parameters of one instance, saved, load into a fresh one at initialisation (same
 * parameters, same inference outputs); a file for another configuration fails the initialisation with an error
 * naming the file (and, for a shape mismatch, the parameter); a missing file fails at creation.
 *
 * <p>Checks that create the component take a function from the weights setting ({@code null}: initial weights)
 * to the component's block, e.g. {@code w -> factory.create(params.withWeights(w), new EncoderContext(3)).block()}.
 */
public final class WeightsContract {
    private WeightsContract() {}

    /** Initialises {@code block} for {@code input} and writes its parameters to {@code file}; returns the file. */
    public static Path save(Block block, Shape input, Path file) throws IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            block.initialize(m, DataType.FLOAT32, input);
            ParameterFile.save(block, file);
        }
        return file;
    }

    /**
     * Saves an instance with initial weights to {@code file}, then creates one reading that file: after
     * initialisation for {@code input} it has the same parameters, in the same order under the same names, and
     * gives the same outputs in inference.
     */
    public static void assertRoundTrip(Function<String, Block> create, Shape input, Path file) throws IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Block trained = create.apply(null);
            trained.initialize(m, DataType.FLOAT32, input);
            ParameterFile.save(trained, file);
            Block loaded = create.apply(file.toString());
            loaded.initialize(m, DataType.FLOAT32, input);

            ParameterList a = trained.getParameters(), b = loaded.getParameters();
            assertEquals(a.keys(), b.keys(), "parameter names");
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).getValue().getArray(), b.get(i).getValue().getArray(), a.get(i).getKey());
            }
            NDArray x = m.randomNormal(input);
            NDList outA = trained.forward(new ParameterStore(m, false), new NDList(x), false, null);
            NDList outB = loaded.forward(new ParameterStore(m, false), new NDList(x), false, null);
            assertEquals(outA.size(), outB.size(), "outputs");
            for (int i = 0; i < outA.size(); i++) {
                assertArrayEquals(outA.get(i).toFloatArray(), outB.get(i).toFloatArray(), "output " + i);
            }
        }
    }

    /**
     * {@code wrong}, created to read {@code file} saved for another configuration, fails to initialise for
     * {@code input} with an {@link SslsegException} that starts "weights file FILE does not fit" and contains
     * each of {@code mentions} (e.g. the name and shape of the first parameter that differs).
     */
    public static SslsegException assertDoesNotFit(Block wrong, Shape input, Path file, String... mentions) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SslsegException e = assertThrows(SslsegException.class,
                    () -> wrong.initialize(m, DataType.FLOAT32, input));
            assertTrue(e.getMessage().startsWith("weights file " + file + " does not fit"), e.getMessage());
            for (String mention : mentions) {
                assertTrue(e.getMessage().contains(mention), "no '" + mention + "' in: " + e.getMessage());
            }
            return e;
        }
    }

    /**
     * Creating the component with a weights file that does not exist (in {@code dir}) fails at once with an
     * {@link SslsegException} that says "COMPONENT weights file not found" and names the file.
     */
    public static void assertMissingFileFailsAtCreation(Function<String, ?> create, Path dir, String component) {
        Path missing = dir.resolve("nope.params");
        SslsegException e = assertThrows(SslsegException.class, () -> create.apply(missing.toString()));
        assertTrue(e.getMessage().contains(component + " weights file not found"), e.getMessage());
        assertTrue(e.getMessage().contains("nope.params"), e.getMessage());
    }
}
