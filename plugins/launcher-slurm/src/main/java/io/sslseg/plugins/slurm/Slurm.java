package io.sslseg.plugins.slurm;

import io.sslseg.api.SslsegException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Slurm's own commands (sbatch, squeue, scontrol, sacct), run and read; a missing or failing command is named. */
final class Slurm {
    private Slurm() {}

    /** An array task's state as Slurm reports it. */
    record TaskState(String state, String exitCode, String reason) {
        /** A task Slurm has no record of. */
        static final TaskState UNKNOWN = new TaskState("UNKNOWN", "", "Slurm has no record of it: cancelled before it"
                + " started, or ended longer ago than the controller remembers");

        boolean active() {
            return switch (state) {
                case "PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED",
                        "RESIZING", "SUSPENDED", "STAGE_OUT", "SIGNALING" -> true;
                default -> false;
            };
        }
    }

    /** Runs {@code command}; its standard output, or an error naming the command and what it said. */
    static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SslsegException(command.get(0) + " did not answer in 120 s");
            }
            if (p.exitValue() != 0) {
                throw new SslsegException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                        + new String(err, StandardCharsets.UTF_8).strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SslsegException(command.get(0) + ": cannot run it (" + e.getMessage() + "); the slurm launcher needs"
                    + " Slurm's commands (sbatch, squeue, scontrol) on the PATH of the machine compare runs on");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SslsegException(command.get(0) + ": interrupted");
        }
    }

    /**
     * The states of an array job's tasks, by task index: queued and running ones from squeue, ended ones from one
     * {@code scontrol show job} of the whole array while the controller still remembers them (MinJobAge), then from
     * sacct where the cluster keeps accounting; absent otherwise. At most three commands per call, however large the
     * array.
     */
    static Map<Integer, TaskState> tasks(String arrayJobId, int count) {
        Map<Integer, TaskState> states = new LinkedHashMap<>();
        String queue;
        try {
            queue = run(List.of("squeue", "-h", "-r", "-j", arrayJobId, "-o", "%K|%T|%r"));
        } catch (SslsegException e) {
            queue = ""; // an array job the controller has forgotten: squeue says "Invalid job id"
        }
        for (String line : queue.split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            if (f.length == 3 && f[0].matches("[0-9]+")) {
                states.put(Integer.parseInt(f[0]), new TaskState(f[1], "", f[2]));
            }
        }
        if (states.size() < count) {
            shown(arrayJobId).forEach(states::putIfAbsent);
        }
        if (states.size() < count) {
            accounted(arrayJobId).forEach(states::putIfAbsent);
        }
        return states;
    }

    /**
     * Tasks the controller has forgotten (older than MinJobAge), from Slurm's accounting where a cluster keeps it
     * (slurmdbd); empty where it does not (sacct then fails: "accounting storage is disabled").
     */
    private static Map<Integer, TaskState> accounted(String arrayJobId) {
        try {
            return parseSacct(run(List.of("sacct", "-n", "-P", "-X", "-j", arrayJobId, "-o", "JobID,State,ExitCode")));
        } catch (SslsegException noAccounting) {
            return Map.of();
        }
    }

    /**
     * {@code sacct -n -P -X -o JobID,State,ExitCode} of an array job: "41_3|COMPLETED|0:0", one line per task that
     * ran ("41_[4-5]" for tasks that never started is skipped); a state such as "CANCELLED by 0" keeps its first word.
     */
    static Map<Integer, TaskState> parseSacct(String out) {
        Map<Integer, TaskState> states = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            if (f.length == 3 && f[0].matches("[0-9]+_[0-9]+")) {
                int task = Integer.parseInt(f[0].substring(f[0].indexOf('_') + 1));
                states.put(task, new TaskState(f[1].split(" ")[0], f[2], "")); // the newest line of a requeued task wins
            }
        }
        return states;
    }

    /** {@code scontrol -o show job} of a whole array: one line per task that has a record of its own. */
    private static Map<Integer, TaskState> shown(String arrayJobId) {
        String out;
        try {
            out = run(List.of("scontrol", "-o", "show", "job", arrayJobId));
        } catch (SslsegException e) {
            return Map.of();
        }
        Map<Integer, TaskState> states = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String token : line.strip().split(" ")) {
                int eq = token.indexOf('=');
                if (eq > 0) {
                    fields.putIfAbsent(token.substring(0, eq), token.substring(eq + 1));
                }
            }
            String task = fields.getOrDefault("ArrayTaskId", "");
            String state = fields.get("JobState");
            if (task.matches("[0-9]+") && state != null) { // a range ("2-5%2") is tasks not yet started
                states.put(Integer.parseInt(task), new TaskState(state, fields.getOrDefault("ExitCode", ""),
                        fields.getOrDefault("Reason", "")));
            }
        }
        return states;
    }

    /** Shell words for a bash script: each single-quoted. */
    static String quote(List<String> words) {
        List<String> quoted = new ArrayList<>();
        for (String w : words) {
            quoted.add("'" + w.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }
}
