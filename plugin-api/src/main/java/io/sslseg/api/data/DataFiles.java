package io.sslseg.api.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reading an input file whole, safely: only a regular file of bounded size is read. A FIFO would block the command
 * forever and a device such as /dev/zero would fill the memory; both are refused at once, naming the file.
 */
public final class DataFiles {
    private DataFiles() {}

    /**
     * The file's bytes.
     *
     * @param kind what the file should be, for the messages ("config", "image", "annotation")
     * @throws DataException naming the file when it is missing, not a regular file, larger than {@code maxBytes} or
     *     unreadable
     */
    public static byte[] readBytes(Path file, long maxBytes, String kind) {
        try {
            if (!Files.exists(file)) {
                throw new DataException(file, "no such " + kind + " file");
            }
            if (!Files.isRegularFile(file)) {
                throw new DataException(file, "not a regular file (a folder, FIFO or device?); a " + kind + " is a file");
            }
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new DataException(file, size + " bytes; a " + kind + " file has at most " + maxBytes);
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file, "no such " + kind + " file");
        } catch (IOException e) {
            throw new DataException(file, "cannot read: " + e.getMessage(), e);
        }
    }
}
