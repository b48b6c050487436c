package io.sslseg.api.launch;

import java.util.List;
import java.util.Map;

/**
 * Runs the cells of a grid: one after another on this machine ({@code local}), or as jobs of a cluster scheduler. The
 * cells' results are their run folders; a launcher reports how each cell's job ended where the run folder cannot say
 * (a job the scheduler killed, a node that failed).
 */
public interface Launcher {
    /**
     * Runs or submits {@code cells} (the grid's cells that are not finished) and, unless {@code detach}, waits for
     * them, printing progress.
     *
     * @return for each cell whose job ended badly, what the launcher knows about it (state, exit code, log file)
     */
    Map<String, String> run(List<CellJob> cells, LaunchContext context, boolean detach);

    /**
     * What the launcher knows now about the grid's cells it ran or submitted earlier (a detached grid): a line of state
     * by cell id; cells it knows nothing about are absent.
     */
    Map<String, String> status(LaunchContext context);
}
