package io.sslseg.platform.compare;

import io.sslseg.api.SslsegException;
import io.sslseg.api.launch.CellJob;
import io.sslseg.api.launch.LaunchContext;
import io.sslseg.api.launch.Launcher;
import io.sslseg.api.launch.LauncherFactory;
import io.sslseg.platform.console.ConsoleProgress;
import io.sslseg.platform.run.GracefulStop;
import io.sslseg.platform.run.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code local} launcher: the cells one after another on this machine, each its own {@code sslseg train} process
 * (each cell's peak memory is its own, and a crash in one cell cannot take the grid down). A signal to compare stops the
 * cell in progress at a step boundary (it checkpoints) and starts no other; compare's death, however it dies, does too.
 */
public final class LocalLauncher implements Launcher {
    /** No parameters: the machine compare runs on. */
    public record Params() {}

    public static LauncherFactory<Params> factory() {
        return LauncherFactory.of(Params.class, new Params(), "this machine: the cells one after another, each its own"
                + " process", p -> new LocalLauncher());
    }

    /** Set by a SIGTERM or SIGINT: the cell in progress stops at a step boundary and no other starts. */
    private volatile boolean stopping;

    @Override
    public Map<String, String> run(List<CellJob> cells, LaunchContext context, boolean detach) {
        if (detach) {
            throw new SslsegException("--detach: the local launcher runs the cells in this process's lifetime; use a"
                    + " cluster launcher (--launcher slurm) to leave a grid running");
        }
        Map<String, String> failed = new LinkedHashMap<>();
        long started = System.nanoTime();
        for (int i = 0; i < cells.size(); i++) {
            CellJob cell = cells.get(i);
            String header = "cell " + (i + 1) + "/" + cells.size() + " " + cell.id();
            if (i > 0) {
                double perCell = (System.nanoTime() - started) / 1e9 / i;
                header += " (about " + ConsoleProgress.formatDuration(perCell * (cells.size() - i)) + " left for the grid)";
            }
            boolean resume = Files.isDirectory(cell.runDir());
            context.console().println(header + (resume ? ": resuming" : ""));
            List<String> cmd = new ArrayList<>(context.sslseg());
            cmd.addAll(cell.trainArguments(resume));
            int code = launch(cmd);
            if (stopping) {
                context.console().println(header + ": interrupted, its checkpoint kept; rerun the same command to"
                        + " continue the grid");
                failed.put(cell.id(), "interrupted by a signal to compare");
                break;
            }
            if (code != 0 || !GridRunner.isComplete(cell.runDir())) {
                GridRunner.markCrashed(cell.runDir(), code);
                context.console().println(header + ": FAILED (exit " + code + "); see "
                        + cell.runDir().resolve(RunFolder.STATUS));
                failed.put(cell.id(), "exit code " + code);
            }
        }
        return failed;
    }

    /** The local launcher keeps no record beyond the cells' run folders. */
    @Override
    public Map<String, String> status(LaunchContext context) {
        return Map.of();
    }

    private int launch(List<String> cmd) {
        try {
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put(GridRunner.STOP_WITH_PID, Long.toString(ProcessHandle.current().pid()));
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
