package io.sslseg.plugins.slurm;

import io.sslseg.api.AtomicFiles;
import io.sslseg.api.SslsegException;
import io.sslseg.api.launch.CellJob;
import io.sslseg.api.launch.LaunchContext;
import io.sslseg.api.launch.Launcher;
import io.sslseg.api.launch.LauncherFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The {@code slurm} launcher: the grid's unfinished cells as one job array ({@code sbatch --array=0-N%M}). Each
 * submission gets a folder {@code OUT/slurm/submission-K/} written before sbatch runs, so a user can read and rerun
 * exactly what ran: {@code cells.tsv} (task index = line, cell id, config, run folder), {@code element.sh} (what each
 * task runs), {@code submit.sh} (the sbatch command), {@code environment} (the variables sbatch passes on),
 * {@code job-id} and {@code logs/JOB_TASK.out}. Each element asks for SIGUSR1 {@code signalSeconds} before its time
 * limit (or gets it from a preemption): it stops its training at a step boundary with a checkpoint and requeues itself;
 * the requeued element resumes the cell.
 */
public final class SlurmLauncher implements Launcher {
    static final String FOLDER = "slurm";

    private final SlurmParams params;

    SlurmLauncher(SlurmParams params) {
        this.params = params;
    }

    public static LauncherFactory<SlurmParams> factory() {
        return LauncherFactory.of(SlurmParams.class, SlurmParams.DEFAULTS, "a Slurm cluster: the grid as one job array;"
                + " cells checkpoint before their time limit and requeue", SlurmLauncher::new);
    }

    /** One earlier or new submission: its folder, job id and cells by task index. */
    record Submission(Path dir, String jobId, List<String[]> cells) {
        Path log(int task) {
            return dir.resolve("logs").resolve(jobId + "_" + task + ".out");
        }
    }

    @Override
    public Map<String, String> run(List<CellJob> cells, LaunchContext context, boolean detach) {
        Path root = context.gridDir().resolve(FOLDER);
        // cells an earlier submission still has queued or running are not submitted twice
        Map<String, CellTask> active = new LinkedHashMap<>();
        lastKnown(submissions(root)).forEach((id, t) -> {
            if (t.state().active()) {
                active.put(id, t);
            }
        });
        List<CellJob> todo = cells.stream().filter(c -> !active.containsKey(c.id())).toList();
        active.forEach((id, t) -> context.console().println("cell " + id + ": " + t.describe() + " from an earlier"
                + " submission, not submitted again"));
        List<Submission> watched = new ArrayList<>(active.values().stream().map(CellTask::submission).distinct().toList());
        if (!todo.isEmpty()) {
            Submission s = submit(todo, context, root);
            context.console().println("submitted " + todo.size() + " cells as Slurm array job " + s.jobId() + " (files: "
                    + s.dir() + ")");
            watched.add(s);
        }
        if (detach) {
            context.console().println("detached: the cells run on; rerun the same compare with --status for their state"
                    + " and the reports");
            return Map.of();
        }
        return waitFor(watched, context);
    }

    @Override
    public Map<String, String> status(LaunchContext context) {
        Map<String, String> out = new LinkedHashMap<>();
        lastKnown(submissions(context.gridDir().resolve(FOLDER))).forEach((id, t) -> {
            String progress = t.state().state().equals("RUNNING") ? context.progress(t.runDir()) : "";
            out.put(id, t.describe() + (progress.isEmpty() ? "" : ", " + progress));
        });
        return out;
    }

    /** A cell's task in one submission, and what Slurm says of it. */
    record CellTask(Submission submission, int task, Slurm.TaskState state) {
        Path runDir() {
            return Path.of(submission.cells().get(task)[2]);
        }

        String describe() {
            return "slurm " + state.state() + (state.exitCode().isEmpty() || state.active() ? ""
                    : ", exit code " + state.exitCode()) + (state.reason().isEmpty() || state.reason().equals("None") ? ""
                    : " (" + state.reason() + ")") + ", job " + submission.jobId() + "_" + task + ", log "
                    + submission.log(task);
        }
    }

    /**
     * Each cell's task in the newest of {@code submissions}, by cell id, with what Slurm says of it; a task Slurm has no
     * record of (cancelled while it waited in the array, or ended longer ago than the controller remembers, on a cluster
     * without accounting) is {@link Slurm.TaskState#UNKNOWN}.
     */
    private static Map<String, CellTask> lastKnown(List<Submission> submissions) {
        Map<String, CellTask> out = new LinkedHashMap<>();
        for (Submission s : submissions) {
            Map<Integer, Slurm.TaskState> states = Slurm.tasks(s.jobId(), s.cells().size());
            for (int task = 0; task < s.cells().size(); task++) { // a later submission wins
                out.put(s.cells().get(task)[0], new CellTask(s, task, states.getOrDefault(task, Slurm.TaskState.UNKNOWN)));
            }
        }
        return out;
    }

    private Submission submit(List<CellJob> cells, LaunchContext context, Path root) {
        try {
            Files.createDirectories(root);
            Path dir = nextSubmissionDir(root);
            Files.createDirectories(dir.resolve("logs"));
            StringBuilder tsv = new StringBuilder();
            List<String[]> rows = new ArrayList<>();
            for (CellJob c : cells) {
                String[] row = {c.id(), c.config().toString(), c.runDir().toString()};
                if (String.join("", row).contains("\t") || String.join("", row).contains("\n")) {
                    throw new SslsegException("cell " + c.id() + ": a path with a tab or newline cannot be submitted");
                }
                tsv.append(String.join("\t", row)).append('\n');
                rows.add(row);
            }
            write(dir.resolve("cells.tsv"), tsv.toString(), false);
            write(dir.resolve("element.sh"), elementScript(dir, context), true);
            write(dir.resolve("environment"), environment(), false);
            List<String> sbatch = sbatchCommand(dir, cells.size(), context);
            write(dir.resolve("submit.sh"), "#!/usr/bin/env bash\n# the submission as compare made it\n"
                    + Slurm.quote(sbatch) + "\n", true);
            String jobId = Slurm.run(sbatch).strip().split(";")[0];
            if (!jobId.matches("[0-9]+")) {
                throw new SslsegException("sbatch answered '" + jobId + "', not a job id");
            }
            write(dir.resolve("job-id"), jobId + "\n", false);
            return new Submission(dir, jobId, rows);
        } catch (IOException e) {
            throw new SslsegException("cannot write the Slurm submission under " + root + ": " + e.getMessage());
        }
    }

    List<String> sbatchCommand(Path dir, int cells, LaunchContext context) {
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable",
                "--array=0-" + (cells - 1) + (params.maxParallel() > 0 ? "%" + params.maxParallel() : ""),
                "--job-name=sslseg-" + context.gridDir().getFileName(),
                "--output=" + dir.resolve("logs") + "/%A_%a.out",
                "--signal=B:USR1@" + params.signalSeconds(), "--requeue", "--open-mode=append"));
        if (!params.partition().isEmpty()) {
            cmd.add("--partition=" + params.partition());
        }
        if (!params.time().isEmpty()) {
            cmd.add("--time=" + params.time());
        }
        if (params.gpusPerCell() > 0) {
            cmd.add("--gpus-per-task=" + params.gpusPerCell());
        }
        if (params.cpusPerCell() > 0) {
            cmd.add("--cpus-per-task=" + params.cpusPerCell());
        }
        cmd.addAll(params.sbatchArgs());
        cmd.add(dir.resolve("element.sh").toString());
        return cmd;
    }

    /**
     * What each array task runs: its line of cells.tsv; train (or resume, once the run folder holds a run); on SIGUSR1
     * (time limit near, or preemption) the training checkpoints and stops, and the task requeues itself.
     */
    static String elementScript(Path dir, LaunchContext context) {
        return """
                #!/usr/bin/env bash
                # One cell of an sslseg grid per array task: line SLURM_ARRAY_TASK_ID+1 of cells.tsv.
                set -uo pipefail
                cells=%s
                IFS=$'\\t' read -r id config run < <(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" "$cells")
                if [ -f "$run/config.yaml" ]; then args=(train --resume "$run"); else args=(train --config "$config" --run-dir "$run"); fi
                echo "sslseg: cell $id, array task ${SLURM_ARRAY_TASK_ID}, restart ${SLURM_RESTART_COUNT:-0}, on $(hostname): ${args[*]}"
                %s "${args[@]}" &
                child=$!
                requeue=""
                trap 'echo "sslseg: cell $id: signal before the time limit; checkpointing and requeueing"; requeue=1; kill -TERM $child' USR1
                trap 'kill -TERM $child' TERM INT
                while true; do
                  wait "$child"; code=$?
                  kill -0 "$child" 2>/dev/null || break
                done
                if [ -n "$requeue" ] && [ "$code" -eq 143 ]; then
                  scontrol requeue "${SLURM_JOB_ID}" && echo "sslseg: cell $id requeued; it resumes from its checkpoint"
                fi
                exit "$code"
                """.formatted(Slurm.quote(List.of(dir.resolve("cells.tsv").toString())), Slurm.quote(context.sslseg()));
    }

    /** The variables sbatch passes on to the tasks (it exports this process's environment), for the record. */
    private static String environment() {
        StringBuilder sb = new StringBuilder("# the environment compare submitted from (sbatch --export=ALL passes it on)\n");
        new TreeMap<>(System.getenv()).forEach((k, v) -> sb.append(k).append('=').append(v.replace("\n", "\\n")).append('\n'));
        return sb.toString();
    }

    private static Path nextSubmissionDir(Path root) {
        for (int k = 1; ; k++) {
            Path dir = root.resolve("submission-" + k);
            if (!Files.exists(dir)) {
                return dir;
            }
        }
    }

    private static void write(Path file, String text, boolean executable) throws IOException {
        AtomicFiles.write(file, tmp -> {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            if (executable) { // before it takes the final name: sbatch never sees it unexecutable
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        });
    }

    /** Every submission made for this grid, oldest first. */
    static List<Submission> submissions(Path root) {
        List<Submission> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            List<Path> sorted = dirs.filter(d -> d.getFileName().toString().matches("submission-[0-9]+"))
                    .sorted((a, b) -> Integer.compare(index(a), index(b))).toList();
            for (Path d : sorted) {
                if (!Files.isRegularFile(d.resolve("job-id"))) {
                    continue; // sbatch refused it: nothing ran
                }
                List<String[]> rows = new ArrayList<>();
                for (String line : Files.readAllLines(d.resolve("cells.tsv"))) {
                    if (!line.isBlank()) {
                        rows.add(line.split("\t", -1));
                    }
                }
                out.add(new Submission(d, Files.readString(d.resolve("job-id")).strip(), rows));
            }
        } catch (IOException e) {
            throw new SslsegException("cannot read the Slurm submissions in " + root + ": " + e.getMessage());
        }
        return out;
    }

    private static int index(Path dir) {
        return Integer.parseInt(dir.getFileName().toString().substring("submission-".length()));
    }

    /**
     * Polls the queue until every watched task has ended, printing the counts when they change and, at most once a
     * minute, how far each running cell has come; then the cells whose last state (from that final poll) is not
     * COMPLETED.
     */
    private Map<String, String> waitFor(List<Submission> watched, LaunchContext context) {
        String lastCounts = "";
        String lastProgress = "";
        long lastPrinted = 0;
        while (true) {
            Map<String, CellTask> known = lastKnown(watched);
            Map<String, Integer> counts = new TreeMap<>();
            Map<String, CellTask> running = new LinkedHashMap<>();
            boolean anyActive = false;
            for (Submission s : watched) {
                for (String[] cell : s.cells()) {
                    CellTask t = known.get(cell[0]);
                    counts.merge(t.state().state().toLowerCase(), 1, Integer::sum);
                    anyActive |= t.state().active();
                    if (t.state().state().equals("RUNNING")) {
                        running.put(cell[0], t);
                    }
                }
            }
            String countsLine = "slurm: " + String.join(", ", counts.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).toList());
            long now = System.nanoTime();
            boolean minutePassed = now - lastPrinted > 60_000_000_000L;
            if (!countsLine.equals(lastCounts) || minutePassed) {
                // the run folders are read only when a line may be printed, not on every poll
                String progressLine = running.isEmpty() ? "" : "running: " + String.join(", ", running.entrySet().stream()
                        .map(e -> {
                            String progress = context.progress(e.getValue().runDir());
                            return e.getKey() + (progress.isEmpty() ? "" : " " + progress);
                        }).toList());
                if (!countsLine.equals(lastCounts) || !progressLine.equals(lastProgress)) {
                    context.console().println(countsLine + (progressLine.isEmpty() ? "" : "; " + progressLine));
                    lastCounts = countsLine;
                    lastProgress = progressLine;
                    lastPrinted = now;
                }
            }
            if (!anyActive) {
                Map<String, String> failed = new LinkedHashMap<>();
                known.forEach((id, t) -> {
                    if (!t.state().state().equals("COMPLETED")) {
                        failed.put(id, t.describe());
                    }
                });
                return failed;
            }
            try {
                Thread.sleep(params.pollSeconds() * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SslsegException("interrupted while waiting; the cells run on in Slurm: rerun the same compare"
                        + " with --status to see them");
            }
        }
    }
}
