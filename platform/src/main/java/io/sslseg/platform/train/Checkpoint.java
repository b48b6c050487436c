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
import java.util.List;

/**
 * A training checkpoint: step, best validation score, every network parameter (running statistics
 * included) and the optimizer state. The data stream and the engine's random state are pure functions of
 * (seed, step), so the step is all it takes to continue exactly. Written to a temporary name, then renamed.
 */
public final class Checkpoint {
    public static final String LATEST = "latest.ckpt";
    public static final String BEST = "best.ckpt";
    private static final String MAGIC = "sslseg-checkpoint";
    private static final int VERSION = 2;

    /** @param step optimizer steps done */
    public record State(long step, double bestMiou, long bestStep) {}

    private Checkpoint() {}

    /** Saves {@code blocks} (the network first, then loss terms' blocks), the optimizer when given, and the state. */
    public static void save(Path file, List<Block> blocks, GroupedOptimizer optimizer, State state) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(state.step());
            out.writeDouble(state.bestMiou());
            out.writeLong(state.bestStep());
            out.writeInt(blocks.size());
            for (Block b : blocks) {
                b.saveParameters(out);
            }
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

    /**
     * Restores {@code blocks} in the order they were saved (a prefix is fine: evaluation reads the network
     * alone) and, when all blocks are read and one is given, the optimizer.
     */
    public static State load(Path file, NDManager manager, List<Block> blocks, GroupedOptimizer optimizer) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
                throw new SslsegException(file + ": not an sslseg checkpoint of this version");
            }
            State state = new State(in.readLong(), in.readDouble(), in.readLong());
            int saved = in.readInt();
            if (saved < blocks.size()) {
                throw new SslsegException(file + ": holds " + saved + " blocks, this run has " + blocks.size()
                        + "; was the config changed since the checkpoint was written?");
            }
            for (Block b : blocks) {
                try {
                    b.loadParameters(manager, in);
                } catch (MalformedModelException | IllegalArgumentException e) {
                    throw new SslsegException(file + ": parameters do not fit this model (" + e.getMessage()
                            + "); was the config changed since the checkpoint was written?");
                }
                // loading replaces the arrays, which drops their gradient flag
                b.getParameters().values().stream().filter(p -> p.requiresGradient())
                        .forEach(p -> p.getArray().setRequiresGradient(true));
            }
            if (optimizer != null && saved == blocks.size() && in.readBoolean()) {
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
