package io.sslseg.api.data;

import java.nio.file.Path;

/** @param cacheDir a writable folder the dataset may cache derived data in */
public record DatasetContext(Path cacheDir) {}
