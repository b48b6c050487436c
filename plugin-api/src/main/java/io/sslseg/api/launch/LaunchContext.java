package io.sslseg.api.launch;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * What a launcher is told: how to start sslseg (the same installation, plugins folder included, on every machine that
 * shares the file system), the grid's output folder for the launcher's own files, and where progress goes. A class
 * rather than a record so that it can grow without breaking plugins.
 */
public final class LaunchContext {
    private final List<String> sslseg;
    private final Path gridDir;
    private final PrintStream console;
    private final Function<Path, String> progress;

    /**
     * @param sslseg the command that starts sslseg, before its arguments
     * @param gridDir the grid's output folder; a launcher keeps its files in a sub-folder named after it
     * @param console progress and outcome lines
     */
    public LaunchContext(List<String> sslseg, Path gridDir, PrintStream console) {
        this(sslseg, gridDir, console, runDir -> "");
    }

    /**
     * @param progress how far the run in a cell's run folder has come, in a few words ("step 120 of 4000")
     */
    public LaunchContext(List<String> sslseg, Path gridDir, PrintStream console, Function<Path, String> progress) {
        this.sslseg = List.copyOf(sslseg);
        this.gridDir = gridDir;
        this.console = console;
        this.progress = progress;
    }

    public List<String> sslseg() {
        return sslseg;
    }

    public Path gridDir() {
        return gridDir;
    }

    public PrintStream console() {
        return console;
    }

    /** How far the run in {@code runDir} has come, for progress lines; empty when not known. */
    public String progress(Path runDir) {
        return progress.apply(runDir);
    }
}
