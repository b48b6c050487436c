package io.sslseg.platform.compare;

import io.sslseg.api.SslsegException;
import io.sslseg.api.launch.CellJob;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.console.StderrFilter;
import io.sslseg.platform.run.RunFolder;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A grid's cells on disk: {@code OUT/configs/ID.yaml} and the run folder {@code OUT/cells/ID/} of each. A cell whose run
 * folder says {@code completed} is skipped; the others become jobs for a launcher, which resumes a half-finished one
 * from its checkpoint; so an interrupted grid continues where it stopped.
 */
public final class GridRunner {
    /**
     * The environment variable that ties a cell's training process to the compare process that started it: when that
     * process ends, however it ends (kill -9 included), the cell stops at its next step boundary with a checkpoint.
     */
    public static final String STOP_WITH_PID = "SSLSEG_STOP_WITH_PID";

    private final Path out;
    private final Path pluginsDir;
    private final PrintStream console;

    public GridRunner(Path out, Path pluginsDir, PrintStream console) {
        this.out = out;
        this.pluginsDir = pluginsDir;
        this.console = console;
    }

    public Path cellDir(Grid.Cell cell) {
        return out.resolve("cells").resolve(cell.id());
    }

    /**
     * Cells whose run folder holds a config other than the one the grid resolves them to now (the grid file, its base
     * config or sslseg's defaults changed since they ran): cell id to the differing keys. Their results must not be
     * reused as if they came from the grid as it is.
     *
     * @param resolvedYaml each cell's config as config.yaml would record it now
     */
    public Map<String, List<String>> changedCells(List<Grid.Cell> cells, Map<String, String> resolvedYaml) {
        Map<String, List<String>> changed = new LinkedHashMap<>();
        for (Grid.Cell cell : cells) {
            Path dir = cellDir(cell);
            if (Files.isRegularFile(dir.resolve(RunFolder.CONFIG))) {
                Map<String, Object> recorded = RunFolder.open(dir).withConfig(tree -> tree);
                List<String> diff = ConfigTree.differences(recorded, ConfigTree.fromYaml(resolvedYaml.get(cell.id())));
                if (!diff.isEmpty()) {
                    changed.put(cell.id(), diff);
                }
            }
        }
        return changed;
    }

    /** Moves a cell's folder aside, to {@code cells/ID.replaced-N}, so that the cell trains again from scratch. */
    public Path setAside(Grid.Cell cell) {
        Path dir = cellDir(cell);
        for (int n = 1; ; n++) {
            Path aside = dir.resolveSibling(cell.id() + ".replaced-" + n);
            if (!Files.exists(aside)) {
                try {
                    Files.move(dir, aside);
                    return aside;
                } catch (IOException e) {
                    throw new SslsegException("cannot move " + dir + " aside: " + e.getMessage());
                }
            }
        }
    }

    /**
     * The cells that still need training, as jobs for a launcher, their configs written to {@code configs/}; finished
     * cells are named and skipped.
     */
    public List<CellJob> pending(List<Grid.Cell> cells) {
        try {
            Files.createDirectories(out.resolve("configs"));
            Files.createDirectories(out.resolve("cells"));
        } catch (IOException e) {
            throw new SslsegException("cannot create " + out + ": " + e.getMessage());
        }
        List<CellJob> jobs = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            Grid.Cell cell = cells.get(i);
            if (isComplete(cellDir(cell))) {
                console.println("cell " + (i + 1) + "/" + cells.size() + " " + cell.id() + ": done before, skipped");
                continue;
            }
            Path config = out.resolve("configs").resolve(cell.id() + ".yaml");
            RunFolder.writeAtomically(config, ConfigTree.toYaml(cell.tree()));
            jobs.add(new CellJob(cell.id(), config.toAbsolutePath(), cellDir(cell).toAbsolutePath()));
        }
        return jobs;
    }

    /**
     * The command that starts this sslseg in a child process. From an installation: its bin/sslseg (which filters
     * libtorch's log flood and, through the inherited SSLSEG_JAVA_OPTS, starts the JVM as this one was); otherwise this
     * JVM's java, options and class path. The plugins folder either way.
     */
    public List<String> sslsegCommand() {
        List<String> cmd = new ArrayList<>();
        String home = System.getProperty("sslseg.home");
        Path launcher = home == null ? null : Path.of(home, "bin", "sslseg").toAbsolutePath();
        if (launcher != null && Files.isExecutable(launcher)) {
            cmd.add(launcher.toString());
        } else {
            cmd.add(ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                boolean own = a.startsWith("-D" + StderrFilter.PID_PROPERTY + "="); // this process's filter, not the child's
                if ((a.startsWith("-D") && !own) || a.startsWith("-Xmx") || a.startsWith("-Xms")) {
                    cmd.add(a);
                }
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), io.sslseg.platform.cli.SslsegCli.class.getName()));
        }
        cmd.addAll(List.of("--plugins", pluginsDir.toAbsolutePath().toString()));
        return cmd;
    }

    /** A cell whose process died without recording why (a native crash, kill -9) must not stay "running". */
    public static void markCrashed(Path dir, int code) {
        if (Files.isRegularFile(dir.resolve(RunFolder.CONFIG))) {
            RunFolder folder = RunFolder.open(dir);
            if (folder.status().equals("running")) {
                folder.setStatus("crashed: its training process ended with exit code " + code
                        + (code > 128 ? " (signal " + (code - 128) + ")" : "") + " without recording why; its output is in"
                        + " the compare log");
            }
        }
    }

    /**
     * What a cell that has no results says about itself: its run folder's status (crashed when it says running and no
     * process holds it), or that it never started.
     */
    public String unfinishedStatus(Grid.Cell cell) {
        Path dir = cellDir(cell);
        return Files.isRegularFile(dir.resolve(RunFolder.CONFIG)) ? RunFolder.open(dir).liveStatus() : "not started";
    }

    /** A cell is finished when its run says so and left its summary. */
    public static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(RunFolder.SUMMARY)) && Files.isRegularFile(dir.resolve(RunFolder.CONFIG))
                && RunFolder.open(dir).status().equals("completed");
    }

}
