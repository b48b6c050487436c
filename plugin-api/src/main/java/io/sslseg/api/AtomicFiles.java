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

    /** Renames {@code from} to {@code to}, replacing it; atomically where the file system can. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
