package io.sslseg.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault drills on the distribution (docs/reliability.md lists them all): a compare killed with SIGKILL mid-cell, and a
 * disk that fills during training. Each ends with the run continued to completion.
 */
class ReliabilityIT {
    @TempDir
    static Path home;

    private static final String[] SMALL = {"--set", "model.encoder.width=16", "--set", "model.decoder.width=16",
        "--set", "dataset.val=16", "--set", "train.batchSize=8", "--set", "runtime.threads=1"};

    private static final String GRID = """
            name: killed
            base: %s
            set: [train.iterations=60, train.evalEvery=60, train.checkpointEvery=1000, train.logEvery=2,
                  dataset.val=16, train.batchSize=8, model.encoder.width=16, model.decoder.width=16, runtime.threads=1]
            axes:
              - name: seed
                key: seed
                values: [1]
            """;

    /**
     * kill -9 of compare cannot be caught by compare; its cell notices its parent is gone, stops at the end of its step
     * with a checkpoint (status interrupted) instead of training on unowned, and the rerun resumes it.
     */
    @Test
    void aCompareKilledMidCellStopsItsCellWhichTheRerunResumes(@TempDir Path work) throws Exception {
        Path grid = work.resolve("grid.yaml");
        Files.writeString(grid, GRID.formatted(CliEndToEndIT.config("smoke.yaml")));
        Process compare = Sslseg.command(work, home, "compare", "--grid", grid.toString(), "--out", "cmp")
                .redirectErrorStream(true).redirectOutput(work.resolve("compare.log").toFile()).start();
        Path cell = work.resolve("cmp/cells/s1");
        assertTrue(waitFor(() -> lines(cell.resolve("metrics.jsonl")) >= 3, compare), Files.readString(work.resolve("compare.log")));
        // besides bin/sslseg's stderr filter (a perl process), compare's one child is its cell
        List<ProcessHandle> children = compare.children()
                .filter(h -> !h.info().command().orElse("").endsWith("perl")).toList();
        assertEquals(1, children.size(), "compare runs its cell as one child process: "
                + children.stream().map(h -> h.info().commandLine().orElse("?")).toList());
        compare.destroyForcibly(); // SIGKILL
        compare.waitFor();
        ProcessHandle child = children.get(0);
        assertTrue(child.onExit().get(2, TimeUnit.MINUTES) != null && !child.isAlive(), "the orphaned cell stopped");
        String status = Files.readString(cell.resolve("status")).trim();
        assertTrue(status.startsWith("interrupted: stopped at step "), status);

        Sslseg.Result rerun = Sslseg.run(work, home, "compare", "--grid", grid.toString(), "--out", "cmp");
        assertEquals(0, rerun.exitCode(), rerun.all());
        assertTrue(rerun.out().contains("cell 1/1 s1: resuming"), rerun.out());
        assertEquals("completed", Files.readString(cell.resolve("status")).trim());
    }

    /**
     * The disk fills while a checkpoint is written: a clear error, status failed, no temporary file, the last good
     * checkpoint intact; with space again, --resume completes the run. Needs root (a small tmpfs).
     */
    @Test
    void aFullDiskFailsCleanlyAndTheRunResumesOnceThereIsSpace(@TempDir Path work) throws Exception {
        Path disk = work.resolve("disk");
        Files.createDirectories(disk);
        assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", disk.toString()) == 0,
                "mounting a tmpfs needs root");
        try {
            // width 16: latest.ckpt is about 6 MB; 16 MB hold latest, previous and not a third
            Sslseg.Result full = Sslseg.run(work, home, concat(new String[] {"train", "--config",
                CliEndToEndIT.config("smoke.yaml"), "--set", "train.iterations=20", "--set", "train.checkpointEvery=2",
                "--set", "train.evalEvery=20", "--run-dir", disk.resolve("run").toString()}, SMALL));
            assertEquals(1, full.exitCode(), full.all());
            Path run = disk.resolve("run");
            assertTrue(full.err().contains("cannot write checkpoint " + run.resolve("checkpoints/latest.ckpt"))
                    && full.err().contains("No space left on device"), full.err());
            String status = Files.readString(run.resolve("status")).trim();
            assertTrue(status.startsWith("failed: cannot write checkpoint"), status);
            try (Stream<Path> files = Files.walk(run)) {
                List<Path> tmp = files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
                assertEquals(List.of(), tmp, "no temporary file left");
            }

            assertEquals(0, sh("mount", "-o", "remount,size=64m", disk.toString()));
            Sslseg.Result resumed = Sslseg.run(work, home, "train", "--resume", run.toString());
            assertEquals(0, resumed.exitCode(), resumed.all());
            assertTrue(resumed.out().contains("resuming " + run + " at step 2 of 20"), resumed.out());
            assertEquals("completed", Files.readString(run.resolve("status")).trim());
        } finally {
            sh("umount", disk.toString());
        }
    }

    /**
     * The run folder records the data it trained on (absolute root, checksums of the lists, a fingerprint of the files);
     * once a file of the dataset is replaced, resume and eval refuse, naming the difference, unless told to accept it.
     */
    @Test
    void aRunWhoseDataChangedIsRefusedUntilTheChangeIsAccepted(@TempDir Path work) throws Exception {
        Sslseg.Result gen = Sslseg.run(work, home, "data", "generate", "fashion-scenes", "--out", "voc", "--train", "60",
                "--val", "8");
        assertEquals(0, gen.exitCode(), gen.all());
        Files.writeString(work.resolve("v.yaml"), "base: " + CliEndToEndIT.config("smoke.yaml")
                + "\ndataset: {type: voc, root: voc, labeled: 0}\n");
        Sslseg.Result train = Sslseg.run(work, home, "train", "--config", "v.yaml", "--set", "train.iterations=4",
                "--set", "train.evalEvery=4", "--set", "model.encoder.width=16", "--set", "model.decoder.width=16",
                "--set", "runtime.threads=1", "--run-dir", "runs/v");
        assertEquals(0, train.exitCode(), train.all());
        String recorded = Files.readString(work.resolve("runs/v/dataset.txt"));
        assertTrue(recorded.startsWith("voc " + work.resolve("voc").toRealPath()) && recorded.contains("lists sha256 ")
                && recorded.contains("files sha256 "), recorded);

        Path mask;
        try (Stream<Path> masks = Files.list(work.resolve("voc/SegmentationClass"))) {
            mask = masks.sorted().findFirst().orElseThrow();
        }
        Files.write(mask, Files.readAllBytes(mask)); // the same bytes, written again: another file as far as anyone knows
        Files.setLastModifiedTime(mask, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Sslseg.Result refused = Sslseg.run(work, home, "eval", "runs/v");
        assertEquals(1, refused.exitCode(), refused.all());
        assertTrue(refused.err().contains("runs/v was trained with other data or plugins than it would use now")
                && refused.err().contains("dataset: recorded 'files sha256 ") && refused.err().contains("--accept-changes"),
                refused.err());
        Sslseg.Result accepted = Sslseg.run(work, home, "eval", "runs/v", "--accept-changes");
        assertEquals(0, accepted.exitCode(), accepted.all());
        assertTrue(accepted.err().contains("warning: runs/v: dataset: recorded"), accepted.err());
    }

    /**
     * Every small file of a run folder damaged in turn (a byte flipped in the middle; config.yaml also cut to half): eval
     * either works (the file does not matter to it) or stops with one line naming the file or the run, never a stack
     * trace. The checkpoints' own drills are in CheckpointIntegrityTest and CliEndToEndIT.
     */
    @Test
    void damagedRunFilesAreNamedNeverAStackTrace(@TempDir Path work) throws Exception {
        Sslseg.Result train = Sslseg.run(work, home, concat(new String[] {"train", "--config",
            CliEndToEndIT.config("smoke.yaml"), "--set", "train.iterations=4", "--set", "train.evalEvery=4",
            "--run-dir", "runs/t"}, SMALL));
        assertEquals(0, train.exitCode(), train.all());
        Path run = work.resolve("runs/t");
        for (String name : List.of("config.yaml", "plugins.lock", "dataset.txt", "status", "summary.json", "run.lock")) {
            Path file = run.resolve(name);
            byte[] good = Files.readAllBytes(file);
            // a flipped byte everywhere; config.yaml, which every command reads, also cut short
            for (boolean cut : name.equals("config.yaml") ? new boolean[] {false, true} : new boolean[] {false}) {
                byte[] bad = cut ? java.util.Arrays.copyOf(good, good.length / 2) : good.clone();
                if (!cut && bad.length > 0) {
                    bad[bad.length / 2] ^= 0x5a;
                }
                Files.write(file, bad);
                Sslseg.Result eval = Sslseg.run(work, home, "eval", "runs/t");
                String what = name + (cut ? " cut to half" : " with a flipped byte") + ": ";
                assertTrue(eval.exitCode() == 0 || eval.exitCode() == 1, what + eval.all());
                assertTrue(!eval.err().contains("\tat ") && !eval.err().contains("Exception"), what + eval.err());
                if (eval.exitCode() == 1) {
                    assertTrue(eval.err().contains("sslseg: error: ") && (eval.err().contains(name)
                            || eval.err().contains("runs/t was trained with other data or plugins")), what + eval.err());
                }
                if (name.equals("config.yaml")) {
                    assertEquals(1, eval.exitCode(), what + "a damaged config is never used: " + eval.all());
                }
            }
            Files.write(file, good);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static int sh(String... cmd) throws IOException, InterruptedException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    private static long lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    /** Polls {@code check} for up to 5 minutes while {@code p} lives. */
    private static boolean waitFor(Check check, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (check.ok()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
