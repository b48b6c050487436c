package io.sslseg.platform.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.sslseg.api.AtomicFiles;
import io.sslseg.api.SslsegException;
import io.sslseg.api.method.LossTerm;
import io.sslseg.api.nn.Layers;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
    private static final int VERSION = 3; // 3 adds the loss terms' own state; 2 is still read

    /** @param step optimizer steps done */
    public record State(long step, double bestMiou, long bestStep) {}

    private Checkpoint() {}

    /** Saves the network alone (a best-so-far checkpoint: evaluation and continual training read nothing else). */
    public static void save(Path file, Block net, State state) {
        save(file, List.of(net), null, List.of(), state);
    }

    /**
     * Saves {@code blocks} (the network first, then loss terms' blocks), the optimizer when given, each
     * term's own state (length-prefixed, so a term that reads too much or too little is caught), and the state.
     */
    public static void save(Path file, List<Block> blocks, GroupedOptimizer optimizer, List<LossTerm> terms,
            State state) {
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
            out.writeInt(terms.size());
            for (LossTerm term : terms) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataOutputStream termOut = new DataOutputStream(bytes)) {
                    term.saveState(termOut);
                }
                out.writeInt(bytes.size());
                bytes.writeTo(out);
            }
        } catch (IOException e) {
            throw new SslsegException("cannot write checkpoint " + file + ": " + e.getMessage());
        }
        try {
            AtomicFiles.move(tmp, file);
        } catch (IOException e) {
            throw new SslsegException("cannot write checkpoint " + file + ": " + e.getMessage());
        }
    }

    /**
     * Restores {@code blocks} in the order they were saved (a prefix is fine: evaluation reads the network
     * alone) and, when all blocks are read and one is given, the optimizer.
     */
    public static State load(Path file, NDManager manager, List<Block> blocks, GroupedOptimizer optimizer) {
        return load(file, manager, blocks, optimizer, List.of());
    }

    /** As {@link #load(Path, NDManager, List, GroupedOptimizer)}, then the terms' own state (a resume). */
    public static State load(Path file, NDManager manager, List<Block> blocks, GroupedOptimizer optimizer,
            List<LossTerm> terms) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int version;
            if (!MAGIC.equals(in.readUTF()) || ((version = in.readInt()) != VERSION && version != 2)) {
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
                    Layers.loadParameters(b, manager, in);
                } catch (MalformedModelException | IllegalArgumentException e) {
                    throw new SslsegException(file + ": parameters do not fit this model (" + e.getMessage()
                            + "); was the config changed since the checkpoint was written?");
                }
            }
            if (optimizer != null && saved == blocks.size() && in.readBoolean()) {
                optimizer.load(in, file.toString());
                loadTerms(in, version, terms, file);
            }
            return state;
        } catch (NoSuchFileException e) {
            throw new SslsegException(file + ": no such checkpoint");
        } catch (IOException e) {
            throw new SslsegException(file + ": unreadable or truncated checkpoint (" + e.getMessage() + ")");
        }
    }

    private static void loadTerms(DataInputStream in, int version, List<LossTerm> terms, Path file) throws IOException {
        int saved = version < 3 ? 0 : in.readInt();
        if (terms.isEmpty()) {
            return;
        }
        if (saved != terms.size()) {
            throw new SslsegException(file + ": holds the state of " + saved + " loss terms, this run has " + terms.size()
                    + "; was the config changed since the checkpoint was written?");
        }
        for (LossTerm term : terms) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            DataInputStream termIn = new DataInputStream(new ByteArrayInputStream(bytes));
            term.loadState(termIn, file.toString());
            if (termIn.available() != 0) {
                throw new SslsegException(file + ": loss term " + term.getClass().getSimpleName() + " left "
                        + termIn.available() + " bytes of its saved state unread");
            }
        }
    }
}
