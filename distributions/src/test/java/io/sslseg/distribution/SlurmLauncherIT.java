package io.sslseg.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare --launcher slurm} on a real Slurm cluster (tools/slurm/test-cluster.sh, which .ci/run starts): a grid
 * submitted detached and followed with --status, a failing cell reported with Slurm's state and exit code, and a cell
 * signalled before its time limit, requeued and resumed to the same metrics as an uninterrupted twin. Without a cluster
 * (no SLURM_CONF, or sinfo failing) the tests are skipped, except where SSLSEG_SLURM=required (CI), where they fail.
 */
class SlurmLauncherIT {
    @TempDir
    static Path home;

    @BeforeAll
    static void cluster() throws Exception {
        String problem = null;
        if (System.getenv("SLURM_CONF") == null) {
            problem = "SLURM_CONF is not set (start one with tools/slurm/test-cluster.sh start)";
        } else {
            Process p = new ProcessBuilder("sinfo", "-h", "-o", "%T").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isBlank()) {
                problem = "sinfo failed: " + out.strip();
            }
        }
        if (problem != null) {
            if ("required".equals(System.getenv("SSLSEG_SLURM"))) {
                fail("SSLSEG_SLURM=required but there is no Slurm cluster: " + problem);
            }
            Assumptions.abort("no Slurm cluster here: " + problem);
        }
    }

    private static final String SMALL = """
            set: [train.iterations=4, train.evalEvery=4, train.checkpointEvery=2, dataset.val=16, train.batchSize=4,
                  eval.batchSize=16, runtime.threads=1]
            """;

    /** 2 encoders x 2 seeds and a cell that cannot run here (it asks for a GPU): detached, then --status. */
    @Test
    void aDetachedGridRunsOnSlurmAndItsStatusReportsTheFailedCell(@TempDir Path work) throws Exception {
        Path grid = work.resolve("grid.yaml");
        Files.writeString(grid, "name: slurm\nbase: " + CliEndToEndIT.config("smoke.yaml") + "\n" + SMALL + """
                axes:
                  - name: encoder
                    cells:
                      unet: {model: {encoder: {type: unet, width: 16}, decoder: {type: unet, width: 16}}}
                      resnet18: {model: {encoder: {type: resnet18, width: 16, lightStem: true}}}
                      gpu: {runtime: {device: gpu}}
                  - name: seed
                    key: seed
                    values: [1, 2]
                """);
        Sslseg.Result submitted = Sslseg.run(work, home, "compare", "--grid", grid.toString(), "--out", "cmp",
                "--launcher", "slurm", "--max-parallel", "2", "--detach");
        assertEquals(0, submitted.exitCode(), submitted.all());
        assertTrue(submitted.out().contains("submitted 6 cells as Slurm array job "), submitted.out());
        Path sub = work.resolve("cmp/slurm/submission-1");
        for (String f : List.of("cells.tsv", "element.sh", "submit.sh", "environment", "job-id")) {
            assertTrue(Files.isRegularFile(sub.resolve(f)), "written before submission: " + f);
        }
        assertTrue(Files.readString(sub.resolve("submit.sh")).contains("'--array=0-5%2'"));
        String job = Files.readString(sub.resolve("job-id")).strip();
        // a user cancels one cell while it waits behind the %2 throttle (task 3: resnet18, seed 2)
        assertEquals(0, sh("scancel", job + "_3"));

        // while it runs, --status says where each cell stands
        Sslseg.Result early = Sslseg.run(work, home, "compare", "--grid", grid.toString(), "--out", "cmp", "--launcher",
                "slurm", "--status");
        assertTrue(early.out().contains("slurm PENDING") || early.out().contains("slurm RUNNING")
                || early.out().contains("6 of 6 cells done") || early.out().contains("slurm FAILED"), early.out());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (System.nanoTime() < deadline && sh("sh", "-c", "squeue -h -j " + job + " | grep -q .") == 0) {
            Thread.sleep(1000);
        }
        // the output folder alone: compare found its grid and launcher in cmp/compare.yaml
        Sslseg.Result status = Sslseg.run(work, home, "compare", "--out", "cmp");
        assertEquals(1, status.exitCode(), "the gpu cells failed: " + status.all());
        assertTrue(status.out().contains("grid slurm: 3 of 6 cells done"), status.out());
        // cancelled while queued, the task leaves no record (the test cluster keeps no accounting)
        assertTrue(status.out().contains("cell resnet18_s2: not started; slurm UNKNOWN (Slurm has no record of it: cancelled"
                + " before it started"), status.out());
        String md = Files.readString(work.resolve("cmp/comparison.md"));
        assertTrue(md.contains("| unet |") && md.contains("| resnet18 |"), md);
        assertTrue(md.contains("| gpu_s1 | failed: runtime.device: gpu requested but the PyTorch engine sees no GPU;"
                + " slurm FAILED, exit code 1:0"), md);
        assertTrue(md.contains("log " + sub.resolve("logs").toRealPath()), md);

        // the same command again submits only the cells not done (detached: what runs then is test 2's subject)
        Sslseg.Result rerun = Sslseg.run(work, home, "compare", "--grid", grid.toString(), "--out", "cmp",
                "--launcher", "slurm", "--detach");
        assertEquals(0, rerun.exitCode(), rerun.all());
        assertTrue(rerun.out().contains("submitted 3 cells as Slurm array job "), rerun.out());
        List<String> resubmitted = Files.readAllLines(work.resolve("cmp/slurm/submission-2/cells.tsv")).stream()
                .map(l -> l.split("\t")[0]).toList();
        assertEquals(List.of("resnet18_s2", "gpu_s1", "gpu_s2"), resubmitted);
        sh("scancel", Files.readString(work.resolve("cmp/slurm/submission-2/job-id")).strip());
    }

    /**
     * SIGUSR1, what Slurm sends before a time limit (--signal) or on preemption: the cell checkpoints, requeues itself
     * and resumes; its metrics equal those of its twin that ran straight through.
     */
    @Test
    void aCellSignalledBeforeItsTimeLimitIsRequeuedAndResumesExactly(@TempDir Path work) throws Exception {
        Path grid = work.resolve("grid.yaml");
        Files.writeString(grid, "name: requeue\nbase: " + CliEndToEndIT.config("smoke.yaml") + "\n" + """
                set: [train.iterations=60, train.evalEvery=30, train.checkpointEvery=1000, train.logEvery=2,
                      dataset.val=16, train.batchSize=4, eval.batchSize=16, runtime.threads=1,
                      model.encoder.width=16, model.decoder.width=16]
                axes:
                  - name: copy
                    cells: {a: {}, b: {}}
                """);
        Process compare = Sslseg.command(work, home, "compare", "--grid", grid.toString(), "--out", "cmp",
                "--launcher", "slurm").redirectErrorStream(true).redirectOutput(work.resolve("compare.log").toFile()).start();
        Path metrics = work.resolve("cmp/cells/a/metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while ((!Files.exists(metrics) || Files.readAllLines(metrics).size() < 4) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        String job = Files.readString(work.resolve("cmp/slurm/submission-1/job-id")).strip();
        assertEquals(0, sh("scancel", "--signal=USR1", "--batch", job + "_0"));
        // Slurm holds a requeued job for cred_expire seconds (15 on the test cluster, 120 by default) before it restarts
        assertTrue(compare.waitFor(8, TimeUnit.MINUTES), "compare waits for the requeued cell");
        String log = Files.readString(work.resolve("compare.log"));
        String cellLog = Files.readString(work.resolve("cmp/slurm/submission-1/logs/" + job + "_0.out"));
        assertEquals(0, compare.exitValue(), log + "\ncell a's log:\n" + cellLog);
        assertTrue(log.contains("running: a step ") || log.contains("running: a starting"), "progress while it waits: " + log);
        assertFalse(cellLog.contains("NNPACK"), "libtorch's per-call warnings are filtered out: " + cellLog);
        assertTrue(cellLog.contains("signal before the time limit; checkpointing and requeueing")
                && cellLog.contains("cell a requeued") && cellLog.contains("restart 1"), cellLog);
        List<Map<?, ?>> a = CliEndToEndIT.metrics(work.resolve("cmp/cells/a"));
        List<Map<?, ?>> b = CliEndToEndIT.metrics(work.resolve("cmp/cells/b"));
        assertEquals(b.size(), a.size(), "no line lost or repeated");
        for (int i = 0; i < a.size(); i++) {
            for (String key : List.of("step", "loss_sup", "miou")) {
                assertEquals(b.get(i).get(key), a.get(i).get(key), key + " at line " + i);
            }
        }
    }

    private static int sh(String... cmd) throws Exception {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor();
    }
}
