package io.sslseg.api.launch;

import java.nio.file.Path;
import java.util.List;

/**
 * One cell of a {@code compare} grid as a launcher runs it: {@code sslseg train --config CONFIG --run-dir RUN_DIR}, or
 * {@code sslseg train --resume RUN_DIR} once that folder holds a run (a cell started before, interrupted or requeued).
 *
 * @param id the cell's id (its folder name)
 * @param config the cell's config file, written by compare
 * @param runDir the cell's run folder
 */
public record CellJob(String id, Path config, Path runDir) {
    /** The sslseg arguments that train the cell: resume when its run folder already holds a run. */
    public List<String> trainArguments(boolean resume) {
        return resume ? List.of("train", "--resume", runDir.toString())
                : List.of("train", "--config", config.toString(), "--run-dir", runDir.toString());
    }
}
