package io.sslseg.api.data;

import io.sslseg.api.Progress;
import java.nio.file.Path;

/** A dataset that can write itself as a VOCdevkit-shaped folder ({@code sslseg data generate}). */
public interface VocExportable {
    void exportVoc(Path outDir, Progress progress);
}
