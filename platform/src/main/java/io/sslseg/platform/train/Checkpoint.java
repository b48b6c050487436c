package io.sslseg.platform.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.sslseg.api.SslsegException;
import io.sslseg.platform.run.RunFolder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A training checkpoint: step, best validation score, every network parameter (running statistics
 * included) and the optimizer state. The data stream and the engine's random state are pure functions of
 * (seed, step), so the step is all it takes to continue exactly. Written to a temporary name, then renamed.
 */
public final class Checkpoint {
    public static final String LATEST = "latest.ckpt";
    public static final String BEST = "best.ckpt";
    private static final String MAGIC = "sslseg-checkpoint";
    private static final int VERSION = 1;

    /** @param step optimizer steps done */
    public record State(long step, double bestMiou, long bestStep) {}

    private Checkpoint() {}

    public static void save(Path file, Block net, GroupedOptimizer optimizer, State state) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(state.step());
            out.writeDouble(state.bestMiou());
            out.writeLong(state.bestStep());
            net.saveParameters(out);
            out.writeBoolean(optimizer != null);
            if (optimizer != null) {
                optimizer.save(out);
            }
        } catch (IOException e) {
            throw new SslsegException("cannot write checkpoint " + file + ": " + e.getMessage());
        }
        try {
            RunFolder.moveAtomically(tmp, file);
        } catch (IOException e) {
            throw new SslsegException("cannot write checkpoint " + file + ": " + e.getMessage());
        }
    }

    /** Restores {@code net} (and {@code optimizer}, when given and saved) from {@code file}. */
    public static State load(Path file, NDManager manager, Block net, GroupedOptimizer optimizer) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
                throw new SslsegException(file + ": not an sslseg checkpoint of this version");
            }
            State state = new State(in.readLong(), in.readDouble(), in.readLong());
            try {
                net.loadParameters(manager, in);
                // loading replaces the arrays, which drops their gradient flag
                net.getParameters().values().stream().filter(p -> p.requiresGradient())
                        .forEach(p -> p.getArray().setRequiresGradient(true));
            } catch (MalformedModelException | IllegalArgumentException e) {
                throw new SslsegException(file + ": parameters do not fit this model (" + e.getMessage()
                        + "); was the config changed since the checkpoint was written?");
            }
            if (optimizer != null && in.readBoolean()) {
                optimizer.load(in, file.toString());
            }
            return state;
        } catch (NoSuchFileException e) {
            throw new SslsegException(file + ": no such checkpoint");
        } catch (IOException e) {
            throw new SslsegException(file + ": unreadable or truncated checkpoint (" + e.getMessage() + ")");
        }
    }
}
