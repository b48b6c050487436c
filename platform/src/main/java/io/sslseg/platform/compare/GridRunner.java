package io.sslseg.platform.compare;

import io.sslseg.api.SslsegException;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.console.ConsoleProgress;
import io.sslseg.platform.run.GracefulStop;
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
 * Runs a grid's cells one after another, each as its own {@code sslseg train} process (so each cell's peak
 * memory is its own, and a crash in one cell cannot take the grid down). A cell whose run folder says
 * {@code completed} is skipped; a half-finished one is resumed from its checkpoint; so an interrupted grid
 * continues where it stopped.
 */
public final class GridRunner {
    /** How a cell ended in this invocation. */
    public enum Outcome { DONE_BEFORE, TRAINED, RESUMED, FAILED }

    /**
     * The environment variable that ties a cell's training process to the compare process that started it: when that
     * process ends, however it ends (kill -9 included), the cell stops at its next step boundary with a checkpoint.
     */
    public static final String STOP_WITH_PID = "SSLSEG_STOP_WITH_PID";

    private final Path out;
    private final Path pluginsDir;
    private final PrintStream console;
    /** Set by a SIGTERM or SIGINT: the cell in progress stops at a step boundary and no other starts. */
    private volatile boolean stopping;

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

    public Map<String, Outcome> run(List<Grid.Cell> cells) {
        try {
            Files.createDirectories(out.resolve("configs"));
            Files.createDirectories(out.resolve("cells"));
        } catch (IOException e) {
            throw new SslsegException("cannot create " + out + ": " + e.getMessage());
        }
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        long started = System.nanoTime();
        int trained = 0;
        for (int i = 0; i < cells.size(); i++) {
            Grid.Cell cell = cells.get(i);
            Path dir = cellDir(cell);
            String header = "cell " + (i + 1) + "/" + cells.size() + " " + cell.id();
            if (isComplete(dir)) {
                console.println(header + ": done before, skipped");
                outcomes.put(cell.id(), Outcome.DONE_BEFORE);
                continue;
            }
            if (trained > 0) {
                double perCell = (System.nanoTime() - started) / 1e9 / trained;
                long left = cells.stream().skip(i).filter(c -> !isComplete(cellDir(c))).count();
                header += " (about " + ConsoleProgress.formatDuration(perCell * left) + " left for the grid)";
            }
            boolean resume = Files.isDirectory(dir);
            console.println(header + (resume ? ": resuming" : ""));
            List<String> args = new ArrayList<>(List.of("train"));
            if (resume) {
                args.addAll(List.of("--resume", dir.toString()));
            } else {
                Path config = out.resolve("configs").resolve(cell.id() + ".yaml");
                RunFolder.writeAtomically(config, ConfigTree.toYaml(cell.tree()));
                args.addAll(List.of("--config", config.toString(), "--run-dir", dir.toString()));
            }
            int code = launch(args);
            trained++;
            if (stopping) {
                console.println(header + ": interrupted, its checkpoint kept; rerun the same command to continue the grid");
                outcomes.put(cell.id(), Outcome.FAILED);
                break;
            }
            if (code == 0 && isComplete(dir)) {
                outcomes.put(cell.id(), resume ? Outcome.RESUMED : Outcome.TRAINED);
            } else {
                markCrashed(dir, code);
                console.println(header + ": FAILED (exit " + code + "); see " + dir.resolve(RunFolder.STATUS));
                outcomes.put(cell.id(), Outcome.FAILED);
            }
        }
        return outcomes;
    }

    /** A cell whose process died without recording why (a native crash, kill -9) must not stay "running". */
    private static void markCrashed(Path dir, int code) {
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

    /** {@code sslseg ARGS} in a child JVM with this one's class path and options. */
    private int launch(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-D") || a.startsWith("-Xmx") || a.startsWith("-Xms")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), io.sslseg.platform.cli.SslsegCli.class.getName()));
        cmd.addAll(List.of("--plugins", pluginsDir.toString()));
        cmd.addAll(args);
        try {
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put(STOP_WITH_PID, Long.toString(ProcessHandle.current().pid()));
            Process p = builder.start();
            // compare stopped by a signal stops its cell the same way (the cell checkpoints) and starts no other
            try (GracefulStop stop = new GracefulStop(() -> {
                stopping = true;
                p.destroy();
            }, GracefulStop.TRAINING_GRACE_SECONDS + 10)) {
                return p.waitFor();
            }
        } catch (IOException e) {
            throw new SslsegException("cannot start a cell's training process: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SslsegException("interrupted; rerun the same command to continue the grid");
        }
    }
}
