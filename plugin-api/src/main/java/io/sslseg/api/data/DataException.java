package io.sslseg.api.data;

import io.sslseg.api.SslsegException;
import java.nio.file.Path;

/** A dataset file that cannot be used; the message names the file and what is wrong with it. */
public class DataException extends SslsegException {
    private final Path file;

    public DataException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public DataException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
