package io.sslseg.api.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.sslseg.api.SslsegException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A block's weights as a DJL parameter file: the stream {@link Block#saveParameters} writes, or a
 * {@code Model.save} {@code .params} file (its "DJL@" header is skipped). DJL's own loader checks little (a
 * wrong architecture can fail deep inside with a cryptic message, or load arrays of the wrong shape), so
 * {@link #load} turns every mismatch into one {@link SslsegException} naming the file and the parameter.
 */
public final class ParameterFile {
    private static final byte[] MODEL_MAGIC = "DJL@".getBytes(StandardCharsets.US_ASCII);

    private ParameterFile() {}

    /**
     * The weights path of a parameter record: null when unset or blank; a missing file fails now, naming the
     * component and the path, rather than at initialisation.
     */
    public static Path checkedPath(String weights, String component) {
        if (weights == null || weights.isBlank()) {
            return null;
        }
        Path path = Path.of(weights);
        if (!Files.isRegularFile(path)) {
            throw new SslsegException(component + " weights file not found: " + path.toAbsolutePath());
        }
        return path;
    }

    /** Writes an initialised block's parameters. */
    public static void save(Block block, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            block.saveParameters(out);
        }
    }

    /**
     * Replaces an initialised block's parameters with the file's, into {@code manager}. On a mismatch the
     * block is left unusable: the caller is expected to stop (the error names what to fix).
     */
    public static void load(Block block, Path file, NDManager manager) {
        List<Pair<String, Parameter>> params = new ArrayList<>();
        block.getParameters().forEach(params::add);
        List<NDArray> previous = new ArrayList<>();
        for (Pair<String, Parameter> p : params) {
            if (!p.getValue().isInitialized()) {
                throw new IllegalStateException("initialise the block before loading " + file);
            }
            previous.add(p.getValue().getArray());
        }
        String what = "weights file " + file + " does not fit this model";
        boolean trailing;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            skipModelHeader(in);
            block.loadParameters(manager, in);
            trailing = in.read() != -1;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            String reason = e instanceof EOFException ? "the file ends early (fewer parameters)" : e.getMessage();
            throw new SslsegException(what + " (different architecture or size?): " + reason, e);
        }
        if (trailing) {
            throw new SslsegException(what + ": the file holds more parameters than the model");
        }
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i).getValue();
            Shape expected = previous.get(i).getShape();
            if (!p.getArray().getShape().equals(expected)) {
                throw new SslsegException(what + ": parameter " + params.get(i).getKey() + " has shape "
                        + p.getArray().getShape() + " in the file, the model needs " + expected);
            }
        }
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i).getValue();
            // DJL's loader neither frees the replaced arrays nor re-enables gradients on the new ones.
            previous.get(i).close();
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        }
    }

    /**
     * A parameter file that replaces a block's initial weights when the block is first initialised: a block
     * holds one and calls {@link #loadInto} at the end of its {@code initialize}, after {@code super.initialize}.
     * Later initialisations load nothing again.
     */
    public static final class Pending {
        private final Path file;
        private boolean loaded;

        /** @param file a parameter file for exactly the block's configuration, or null for the initial weights */
        public Pending(Path file) {
            this.file = file;
        }

        /** Loads the file into the initialised {@code block} the first time; does nothing without a file. */
        public void loadInto(Block block, NDManager manager) {
            if (file != null && !loaded) {
                load(block, file, manager);
                loaded = true;
            }
        }
    }

    private static void skipModelHeader(DataInputStream in) throws IOException {
        in.mark(MODEL_MAGIC.length);
        byte[] magic = in.readNBytes(MODEL_MAGIC.length);
        if (!Arrays.equals(magic, MODEL_MAGIC)) {
            in.reset();
            return;
        }
        in.readInt(); // model format version
        in.readUTF(); // model name
        in.readUTF(); // data type
        for (int i = in.readInt(); i > 0; i--) {
            in.readUTF();
            Shape.decode(in);
        }
        for (int i = in.readInt(); i > 0; i--) {
            in.readUTF();
            in.readUTF();
        }
    }
}
