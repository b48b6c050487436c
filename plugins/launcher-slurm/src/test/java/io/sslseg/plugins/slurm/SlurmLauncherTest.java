package io.sslseg.plugins.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.api.launch.LaunchContext;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the slurm launcher submits, without a cluster: the sbatch command from the parameters, the element script
 * (checked by bash and run with a stand-in sslseg), parameter checks. The cluster drills are in SlurmLauncherIT.
 */
class SlurmLauncherTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void theSbatchCommandCarriesEveryParameter(@TempDir Path tmp) {
        SlurmParams p = new SlurmParams("gpu", 1, 4, 3, "02:00:00", 300, List.of("--account=lab", "--qos=low"), 5);
        List<String> cmd = new SlurmLauncher(p).sbatchCommand(tmp, 12, new LaunchContext(List.of("sslseg"), tmp.resolve("g"),
                QUIET));
        assertEquals(List.of("sbatch", "--parsable", "--array=0-11%3", "--job-name=sslseg-g", "--output=" + tmp.resolve("logs")
                + "/%A_%a.out", "--signal=B:USR1@300", "--requeue", "--open-mode=append", "--partition=gpu",
                "--time=02:00:00", "--gpus-per-task=1", "--cpus-per-task=4", "--account=lab", "--qos=low",
                tmp.resolve("element.sh").toString()), cmd);
        List<String> plain = new SlurmLauncher(SlurmParams.DEFAULTS).sbatchCommand(tmp, 2, new LaunchContext(List.of("x"),
                tmp.resolve("g"), QUIET));
        assertTrue(plain.contains("--array=0-1") && plain.stream().noneMatch(a -> a.startsWith("--partition")), plain.toString());
    }

    /**
     * The element script with a stand-in for sslseg that prints its arguments: a new cell trains from its config, a cell
     * whose run folder holds a run resumes; paths with spaces and quotes survive.
     */
    @Test
    void theElementScriptTrainsANewCellAndResumesAStartedOne(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sub 1"));
        Path run = tmp.resolve("cells/it's a cell");
        Files.writeString(dir.resolve("cells.tsv"), "c0\t/cfg/c0.yaml\t/runs/c0\nc1\t" + tmp.resolve("c1.yaml") + "\t" + run + "\n");
        Path fake = tmp.resolve("fake sslseg");
        Files.writeString(fake, "#!/usr/bin/env bash\necho \"ARGS: $*\"\n");
        fake.toFile().setExecutable(true);
        Path script = dir.resolve("element.sh");
        Files.writeString(script, SlurmLauncher.elementScript(dir, new LaunchContext(List.of(fake.toString()), tmp, QUIET)));
        assertEquals("", bash(script, "-n", null).strip(), "bash parses it");
        assertTrue(bash(script, null, "1").contains("ARGS: train --config " + tmp.resolve("c1.yaml") + " --run-dir " + run));
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.yaml"), "name: x\n");
        String resumed = bash(script, null, "1");
        assertTrue(resumed.contains("ARGS: train --resume " + run) && resumed.contains("cell c1, array task 1"), resumed);
        assertTrue(bash(script, null, "0").contains("ARGS: train --config /cfg/c0.yaml --run-dir /runs/c0"));
    }

    private static String bash(Path script, String flag, String task) throws Exception {
        ProcessBuilder pb = flag != null ? new ProcessBuilder("bash", flag, script.toString())
                : new ProcessBuilder("bash", script.toString());
        if (task != null) {
            pb.environment().put("SLURM_ARRAY_TASK_ID", task);
            pb.environment().put("SLURM_JOB_ID", "1");
        }
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /** sacct's parsable output (the format documented in sacct(1)); a cluster with accounting is not at hand here. */
    @Test
    void sacctLinesGiveEachTaskItsStateAndExitCode() {
        var states = Slurm.parseSacct("""
                41_0|COMPLETED|0:0
                41_3|CANCELLED by 0|0:15
                41_2|FAILED|1:0
                41_[4-5%2]|PENDING|0:0
                garbage
                """);
        assertEquals(List.of(0, 3, 2), List.copyOf(states.keySet()));
        assertEquals(new Slurm.TaskState("COMPLETED", "0:0", ""), states.get(0));
        assertEquals(new Slurm.TaskState("CANCELLED", "0:15", ""), states.get(3));
        assertEquals(new Slurm.TaskState("FAILED", "1:0", ""), states.get(2));
        assertTrue(Slurm.parseSacct("").isEmpty());
    }

    @Test
    void badParametersAreRefusedNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SlurmParams("a b", 0, 0, 0, "", 120, List.of(), 5))
                .getMessage().startsWith("partition:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SlurmParams("", 0, 0, 0, "2h", 120, List.of(), 5))
                .getMessage().startsWith("time:"));
        assertThrows(IllegalArgumentException.class, () -> new SlurmParams("", -1, 0, 0, "", 120, List.of(), 5));
        assertThrows(IllegalArgumentException.class, () -> new SlurmParams("", 0, 0, 0, "", 0, List.of(), 5));
    }
}
