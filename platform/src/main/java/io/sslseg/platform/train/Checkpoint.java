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
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A training checkpoint: step, best validation score, every network parameter (running statistics
 * included) and the optimizer state. The data stream and the engine's random state are pure functions of
 * (seed, step), so the step is all it takes to continue exactly. Written to a temporary name, synced, then
 * renamed; its last 32 bytes are the SHA-256 of everything before them, so a file changed or cut short after it
 * was written is refused, named, instead of loading as garbage.
 */
public final class Checkpoint {
    public static final String LATEST = "latest.ckpt";
    public static final String BEST = "best.ckpt";
    /** The latest checkpoint before the current one: what a resume falls back to when latest.ckpt is damaged. */
    public static final String PREVIOUS = "previous.ckpt";
    private static final String MAGIC = "sslseg-checkpoint";
    // 4 ends with the SHA-256 of the rest; 3 adds the loss terms' own state; 2 and 3 are still read, unchecked
    private static final int VERSION = 4;
    private static final int DIGEST_BYTES = 32;

    /** @param step optimizer steps done */
    public record State(long step, double bestMiou, long bestStep) {}

    private Checkpoint() {}

    /** Saves the network alone (a best-so-far checkpoint: evaluation and continual training read nothing else). */
    public static void save(Path file, Block net, State state) {
        save(file, List.of(net), null, List.of(), state, false);
    }

    /** Saves everything a resume needs, replacing {@code file}. */
    public static void save(Path file, List<Block> blocks, GroupedOptimizer optimizer, List<LossTerm> terms,
            State state) {
        save(file, blocks, optimizer, terms, state, false);
    }

    /** A run's latest checkpoint: the one it replaces is kept as {@link #PREVIOUS}. */
    public static void saveLatest(Path file, List<Block> blocks, GroupedOptimizer optimizer, List<LossTerm> terms,
            State state) {
        save(file, blocks, optimizer, terms, state, true);
    }

    /**
     * Saves {@code blocks} (the network first, then loss terms' blocks), the optimizer when given, each
     * term's own state (length-prefixed, so a term that reads too much or too little is caught), and the state.
     *
     * @param keepPrevious rename the file it replaces to {@link #PREVIOUS} instead of dropping it
     */
    static void save(Path file, List<Block> blocks, GroupedOptimizer optimizer, List<LossTerm> terms,
            State state, boolean keepPrevious) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        MessageDigest sha = sha256();
        try (FileOutputStream raw = new FileOutputStream(tmp.toFile());
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new DigestOutputStream(raw, sha)))) {
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
            out.flush();
            raw.write(sha.digest()); // past the digest stream: the digest covers everything before it
            raw.getChannel().force(true); // on disk before the rename makes it the checkpoint
        } catch (IOException e) {
            deleteQuietly(tmp); // a full disk leaves no half-written file behind; the last good checkpoint stays
            throw new SslsegException("cannot write checkpoint " + file + ": " + e.getMessage());
        }
        try {
            if (keepPrevious && Files.exists(file)) {
                AtomicFiles.move(file, file.resolveSibling(PREVIOUS));
            }
            AtomicFiles.move(tmp, file);
        } catch (IOException e) {
            throw new SslsegException("cannot write checkpoint " + file + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the error being reported matters more
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Checks a checkpoint without loading it: its header, and for version 4 and later its SHA-256. Throws an
     * {@link SslsegException} naming the file and what is wrong; returns the step it holds.
     */
    public static long verify(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int version = readHeader(in, file);
            long step = in.readLong();
            if (version >= 4) {
                checkDigest(file);
            }
            return step;
        } catch (NoSuchFileException e) {
            throw new SslsegException(file + ": no such checkpoint");
        } catch (IOException e) {
            throw new SslsegException(file + ": unreadable or truncated checkpoint (" + e.getMessage() + ")");
        }
    }

    /**
     * The checkpoint a resume continues from: {@link #LATEST}, or {@link #PREVIOUS} when latest is missing (a crash
     * between the two renames of a save) or damaged. A damaged file is renamed to {@code NAME.damaged}, kept for a
     * look, and {@code warn} is told; null when the run wrote no checkpoint yet.
     *
     * @throws SslsegException when checkpoints exist but none is intact, naming each and its damage
     */
    public static Path newestIntact(Path dir, Consumer<String> warn) {
        List<String> damage = new java.util.ArrayList<>();
        for (String name : List.of(LATEST, PREVIOUS)) {
            Path file = dir.resolve(name);
            if (!Files.exists(file)) {
                continue;
            }
            try {
                verify(file);
                if (!damage.isEmpty()) {
                    warn.accept(String.join("; ", damage) + "; resuming from " + file + " instead");
                }
                return file;
            } catch (SslsegException e) {
                Path kept = file.resolveSibling(name + ".damaged");
                try {
                    AtomicFiles.move(file, kept);
                } catch (IOException moveFailed) {
                    throw new SslsegException(e.getMessage() + "; and it cannot be moved aside: " + moveFailed.getMessage());
                }
                damage.add(e.getMessage() + " (kept as " + kept.getFileName() + ")");
            }
        }
        if (!damage.isEmpty()) {
            throw new SslsegException("no intact checkpoint to resume from: " + String.join("; ", damage));
        }
        return null;
    }

    private static int readHeader(DataInputStream in, Path file) throws IOException {
        String magic;
        try {
            magic = in.readUTF();
        } catch (java.io.UTFDataFormatException | java.io.EOFException e) {
            magic = "";
        }
        int version;
        if (!MAGIC.equals(magic) || ((version = in.readInt()) < 2 || version > VERSION)) {
            throw new SslsegException(file + ": not an sslseg checkpoint of this version (damaged, or written by"
                    + " another program or a newer sslseg)");
        }
        return version;
    }

    private static void checkDigest(Path file) throws IOException {
        long size = Files.size(file);
        if (size < DIGEST_BYTES) {
            throw new SslsegException(file + ": damaged checkpoint (cut short: " + size + " bytes)");
        }
        MessageDigest sha = sha256();
        byte[] stored = new byte[DIGEST_BYTES];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            byte[] buf = new byte[1 << 20];
            long left = size - DIGEST_BYTES;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new SslsegException(file + ": damaged checkpoint (shorter than its size)");
                }
                sha.update(buf, 0, n);
                left -= n;
            }
            new DataInputStream(in).readFully(stored);
        }
        if (!MessageDigest.isEqual(stored, sha.digest())) {
            throw new SslsegException(file + ": damaged checkpoint (its SHA-256 does not match its content: the file"
                    + " was changed or cut short after it was written)");
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
        verify(file); // a damaged file is refused here, before any parameter is overwritten
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int version = readHeader(in, file);
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
