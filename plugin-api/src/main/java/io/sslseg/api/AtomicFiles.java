package io.sslseg.api;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The last step of writing a file or folder so that readers see the old one or the new one, never a half: write
 * under a temporary name next to the target, then {@link #move} it into place. Run folders, checkpoints and a
 * loss term's files in its work folder are written this way.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes a file's whole content to the path it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path file) throws IOException;
    }

    /**
     * Writes {@code target} so that readers see the old file or the new one, never a half: {@code content} writes
     * {@code NAME.tmp} next to it, which then replaces the target ({@link #move}). A failure leaves the target as it
     * was (the temporary file is removed).
     */
    public static void write(Path target, Content content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            content.writeTo(tmp);
            move(tmp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** {@link #write(Path, Content)} of {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, tmp -> Files.write(tmp, bytes));
    }

    /** Renames {@code from} to {@code to}, replacing it; atomically where the file system can. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
