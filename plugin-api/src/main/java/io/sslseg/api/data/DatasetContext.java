package io.sslseg.api.data;

import java.nio.file.Path;

/** What a dataset is built with. A class rather than a record so that it can grow without breaking plugins. */
public final class DatasetContext {
    private final Path cacheDir;

    /** @param cacheDir a writable folder the dataset may cache derived data in */
    public DatasetContext(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    public Path cacheDir() {
        return cacheDir;
    }
}
