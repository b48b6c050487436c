package io.sslseg.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aWriteReplacesTheFileWholeAndAFailedOneLeavesItAsItWas() throws IOException {
        Path target = dir.resolve("status");
        AtomicFiles.write(target, "old\n".getBytes());
        AtomicFiles.write(target, "new\n".getBytes());
        assertEquals("new\n", Files.readString(target));

        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, tmp -> {
            Files.writeString(tmp, "half");
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("new\n", Files.readString(target), "the old content stays");
        assertFalse(Files.exists(dir.resolve("status.tmp")), "no temporary file left behind");
    }
}
