package io.sslseg.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sslseg.platform.report.HtmlPage;
import io.sslseg.testkit.HeadlessBrowser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution end to end: train offline, resume after SIGKILL, evaluate, and fail cleanly on bad input. */
class CliEndToEndIT {
    @TempDir
    static Path home;

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void layout() {
        assertTrue(Files.isExecutable(Sslseg.HOME.resolve("bin/sslseg")), "bin/sslseg");
        for (String plugin : List.of("encoder-resnet", "encoder-poolformer", "encoder-convnext", "unet", "cct", "dataset-fashion-scenes", "dataset-voc", "weak-labels", "seg-gan", "temporal-ensembling")) {
            try (Stream<Path> jars = list(Sslseg.HOME.resolve("plugins"))) {
                assertTrue(jars.anyMatch(j -> j.getFileName().toString().contains(plugin)), "plugins/ has " + plugin);
            }
        }
        // lib/ is the platform's class path: a plugin there would bypass PF4J and its isolation
        try (Stream<Path> lib = list(Sslseg.HOME.resolve("lib"))) {
            List<String> sslseg = lib.map(j -> j.getFileName().toString()).filter(n -> n.startsWith("sslseg-"))
                    .map(n -> n.replaceAll("-[0-9][^-]*\\.jar$", "")).sorted().toList();
            assertEquals(List.of("sslseg-platform", "sslseg-plugin-api"), sslseg, "sslseg jars in lib/");
        }
        assertTrue(Files.isRegularFile(Sslseg.HOME.resolve("configs/smoke.yaml")));
    }

    private static Stream<Path> list(Path dir) {
        try {
            return Files.list(dir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The shipped smoke config, cut to 200 of its 250 steps, through the CLI with a fresh, empty DJL cache:
     * nothing may be downloaded, the loss falls and val mIoU clears the majority-class score.
     */
    @Test
    void trainsOfflineLossFallsAndBeatsMajorityClass(@TempDir Path work) throws Exception {
        Path freshHome = Files.createDirectories(work.resolve("home"));
        // 200 of the config's 250 steps with the U-Net at width 16 (a quarter of the work of its 32): val mIoU 0.1241
        // at step 200 here (loss halved), so past the majority class with a margin
        Sslseg.Result r = Sslseg.run(work, freshHome, "train", "--config", config("smoke.yaml"),
                "--set", "train.iterations=200", "--set", "train.evalEvery=200", "--set", "train.logEvery=5",
                "--set", "model.encoder.width=16", "--set", "model.decoder.width=16", "--run-dir", "runs/e2e");
        assertEquals(0, r.exitCode(), r.all());
        Path run = work.resolve("runs/e2e");
        List<Map<?, ?>> metrics = metrics(run);
        List<Double> losses = metrics.stream().filter(m -> m.containsKey("loss_sup"))
                .map(m -> ((Number) m.get("loss_sup")).doubleValue()).toList();
        assertTrue(losses.get(losses.size() - 1) < 0.8 * losses.get(0), "loss falls: " + losses);
        double miou = metrics.stream().filter(m -> m.containsKey("miou"))
                .mapToDouble(m -> ((Number) m.get("miou")).doubleValue()).max().orElseThrow();
        // predicting background everywhere scores about 0.068 on FashionScenes (benchmark notes)
        assertTrue(miou > 0.10, "val mIoU " + miou + " should beat the majority-class baseline");
        Matcher m = Pattern.compile("val mIoU (\\d\\.\\d+)").matcher(r.out());
        assertTrue(m.find(), "prints its mIoU: " + r.out());
        assertEquals("completed", Files.readString(run.resolve("status")).trim());
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("headConvs"), "config.yaml is resolved");
        String lock = Files.readString(run.resolve("plugins.lock"));
        assertTrue(lock.matches("(?s).*unet 0\\.2\\.0 [0-9a-f]{64} .*"), lock);

        Sslseg.Result eval = Sslseg.run(work, home, "eval", "runs/e2e");
        assertEquals(0, eval.exitCode(), eval.all());
        assertTrue(eval.out().contains("mIoU"), eval.out());
        evaluatesAGpuRunOnTheCpu(work, run, eval.out());

        Sslseg.Result report = Sslseg.run(work, home, "report", "runs/e2e", "--images", "2");
        assertEquals(0, report.exitCode(), report.all());
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains(">supervised loss</text>") && html.contains("data:image/png;base64,")
                && html.contains("200 of 200"), "curves, predictions, progress");
        HeadlessBrowser.render(run.resolve("report.html"), 1000, 1400).assertRenderedCleanly(HtmlPage.READY_ATTRIBUTE);
    }

    /**
     * A run trained with runtime.device gpu, taken to a machine without one (here: the CPU run with its config
     * saying gpu): eval refuses with a hint, and evaluates it on the CPU under --device cpu, to the same mIoU.
     */
    private static void evaluatesAGpuRunOnTheCpu(Path work, Path cpuRun, String cpuEval) throws Exception {
        Path gpuRun = work.resolve("runs/trained-on-gpu");
        Files.createDirectories(gpuRun.resolve("checkpoints"));
        try (Stream<Path> files = Files.walk(cpuRun)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path copy = gpuRun.resolve(cpuRun.relativize(f).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(f, copy);
            }
        }
        Path config = gpuRun.resolve("config.yaml");
        String yaml = Files.readString(config);
        assertTrue(yaml.contains("device: auto"), yaml);
        Files.writeString(config, yaml.replace("device: auto", "device: gpu"));

        Sslseg.Result refused = Sslseg.run(work, home, "eval", "runs/trained-on-gpu");
        assertEquals(1, refused.exitCode(), refused.all());
        assertTrue(refused.err().contains("sees no GPU") && refused.err().contains("--device cpu"), refused.err());

        Sslseg.Result onCpu = Sslseg.run(work, home, "eval", "--device", "cpu", "runs/trained-on-gpu");
        assertEquals(0, onCpu.exitCode(), onCpu.all());
        assertTrue(onCpu.out().contains("evaluated on cpu()"), onCpu.out());
        assertEquals(miou(cpuEval), miou(onCpu.out()), "same checkpoint, same mIoU");

        Sslseg.Result bad = Sslseg.run(work, home, "eval", "--device", "tpu", "runs/trained-on-gpu");
        assertEquals(1, bad.exitCode(), bad.all());
        assertTrue(bad.err().contains("--device") && bad.err().contains("tpu"), bad.err());
    }

    private static String miou(String evalOut) {
        Matcher m = Pattern.compile("(?m)^mIoU (\\d\\.\\d+)$").matcher(evalOut);
        assertTrue(m.find(), evalOut);
        return m.group(1);
    }

    /** The shipped CCT setup, cut short: unlabelled batches flow, the CCT scalars are logged, the run completes. */
    @Test
    void cctSmokeRuns(@TempDir Path work) throws Exception {
        Sslseg.Result r = Sslseg.run(work, home, "train", "--config", config("cct-smoke.yaml"),
                "--set", "train.iterations=20", "--set", "train.evalEvery=20", "--set", "train.logEvery=5",
                "--set", "dataset.val=64", "--run-dir", "runs/cct");
        assertEquals(0, r.exitCode(), r.all());
        List<Map<?, ?>> metrics = metrics(work.resolve("runs/cct"));
        Map<?, ?> first = metrics.get(0);
        assertTrue(first.containsKey("loss_unsup") && first.containsKey("w_u") && first.containsKey("loss_sup"),
                first.toString());
        String config = Files.readString(work.resolve("runs/cct/config.yaml"));
        assertTrue(config.contains("feature-noise") && config.contains("vat"), "resolved perturbations: " + config);

        // continual training from that run with the other methods' plugins (the shipped ResNet configs, as cct-smoke's
        // model, cut short)
        String[] shortRun = {"--init-from", "runs/cct", "--set", "dataset.train=2000", "--set", "dataset.labeled=200", "--set", "dataset.unlabeled=0",
                "--set", "dataset.val=64", "--set", "train.iterations=6", "--set", "train.evalEvery=6",
                "--set", "train.logEvery=2", "--set", "train.batchSize=8", "--set", "train.unlabeledBatchSize=8"};
        for (String method : List.of("seg-gan-semi", "te")) {
            List<String> args = new java.util.ArrayList<>(List.of("train", "--config", config("continual-" + method + "-resnet.yaml"),
                    "--run-dir", "runs/" + method));
            args.addAll(List.of(shortRun));
            Sslseg.Result c = Sslseg.run(work, home, args.toArray(String[]::new));
            assertEquals(0, c.exitCode(), c.all());
            assertTrue(c.out().contains("initial weights"), c.out());
            assertTrue(Files.readString(work.resolve("runs/" + method + "/config.yaml")).contains("runs/cct"),
                    "config.yaml records where the weights came from");
        }
        assertTrue(metrics(work.resolve("runs/seg-gan-semi")).stream().anyMatch(m -> m.containsKey("loss_D")),
                "the discriminator's loss is logged");
        assertTrue(Files.isDirectory(work.resolve("runs/te/terms/term0")), "the prediction memory lives in the run folder");
    }

    /**
     * The two ways a run is stopped, on one run. SIGTERM (what a scheduler or {@code timeout} sends): the step in
     * progress ends, a checkpoint is written there, the status says interrupted, the exit code is 143, and --resume
     * carries on from that very step. Then SIGKILL in the middle of the resumed run: the status never says complete,
     * and the next --resume finishes the run with no step logged twice. Last, a checkpoint changed after it was written
     * is refused by name.
     */
    @Test
    void sigtermAndSigkillStopARunThatResumesExactly(@TempDir Path work) throws Exception {
        Process p = Sslseg.command(work, home, "train", "--config", config("smoke.yaml"),
                "--set", "train.iterations=80", "--set", "train.checkpointEvery=10", "--set", "train.evalEvery=80",
                "--set", "dataset.val=16", "--set", "train.logEvery=1", "--run-dir", "runs/stopped")
                .redirectErrorStream(true).redirectOutput(work.resolve("first.log").toFile()).start();
        Path run = work.resolve("runs/stopped");
        assertTrue(waitForLines(run.resolve("metrics.jsonl"), 5, p), Files.readString(work.resolve("first.log")));
        // a second process on the same run folder is refused, naming the first; it writes nothing there
        Sslseg.Result second = Sslseg.run(work, home, "train", "--resume", "runs/stopped");
        assertEquals(1, second.exitCode(), second.all());
        assertTrue(second.err().contains("is in use by another sslseg process (PID "), second.err());
        assertTrue(p.isAlive(), "the first process trains on");
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "stopped within the grace period");
        String log = Files.readString(work.resolve("first.log"));
        assertEquals(143, p.exitValue(), log);
        String status = Files.readString(run.resolve("status")).trim();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("interrupted: stopped at step (\\d+) of 80 by a signal")
                .matcher(status);
        assertTrue(m.lookingAt(), status);
        long step = Long.parseLong(m.group(1));
        assertTrue(step >= 5 && step < 60, status);
        assertTrue(log.contains("continue with: sslseg train --resume"), log);

        Process resumed = Sslseg.command(work, home, "train", "--resume", "runs/stopped")
                .redirectErrorStream(true).redirectOutput(work.resolve("second.log").toFile()).start();
        // ten steps past the stop: a checkpoint every 10 steps is behind the kill
        assertTrue(waitForLines(run.resolve("metrics.jsonl"), (int) step + 10, resumed),
                Files.readString(work.resolve("second.log")));
        assertTrue(Files.readString(work.resolve("second.log")).contains("at step " + step + " of 80"),
                "resumed from the stop's checkpoint");
        resumed.destroyForcibly(); // SIGKILL
        resumed.waitFor();
        assertEquals("running", Files.readString(run.resolve("status")).trim(), "a killed run never looks complete");

        Sslseg.Result again = Sslseg.run(work, home, "train", "--run-dir", "runs/stopped");
        assertEquals(1, again.exitCode(), "an existing run folder is not overwritten");
        assertTrue(again.err().contains("--resume"), again.err());

        Sslseg.Result r = Sslseg.run(work, home, "train", "--resume", "runs/stopped");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("resuming"), r.out());
        assertEquals("completed", Files.readString(run.resolve("status")).trim());
        List<Long> steps = metrics(run).stream().filter(x -> x.containsKey("loss_sup"))
                .map(x -> ((Number) x.get("step")).longValue()).toList();
        assertEquals(steps.stream().distinct().count(), steps.size(), "no step logged twice: " + steps);
        assertEquals(80, steps.size(), "every step logged once: " + steps);

        // a checkpoint changed after it was written is refused by name, not loaded as garbage
        Path best = run.resolve("checkpoints/best.ckpt");
        byte[] bytes = Files.readAllBytes(best);
        bytes[bytes.length / 2] ^= 4;
        Files.write(best, bytes);
        Sslseg.Result eval = Sslseg.run(work, home, "eval", "runs/stopped");
        assertEquals(1, eval.exitCode(), eval.all());
        assertTrue(eval.err().contains(best.getFileName() + ": damaged checkpoint (its SHA-256 does not match"), eval.err());
        assertFalse(eval.err().contains("\tat "), "one line, no stack trace: " + eval.err());
    }

    /** Waits (up to 5 minutes) until {@code file} has {@code lines} lines or the process ends. */
    private static boolean waitForLines(Path file, int lines, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readAllLines(file).size() >= lines) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void badInputFailsWithOneLineAndNoRunFolder(@TempDir Path work) throws Exception {
        Sslseg.Result unknownKey = Sslseg.run(work, home, "train", "--config", config("smoke.yaml"),
                "--set", "model.encoder.widht=16", "--run-dir", "runs/bad");
        assertEquals(1, unknownKey.exitCode(), unknownKey.all());
        assertTrue(unknownKey.err().contains("model.encoder.widht: unknown key"), unknownKey.err());
        assertFalse(unknownKey.err().contains("\tat "), "no stack trace without --verbose");
        assertFalse(Files.exists(work.resolve("runs/bad")), "nothing written for a config that cannot run");

        Sslseg.Result badValue = Sslseg.run(work, home, "train", "--config", config("smoke.yaml"),
                "--set", "train.iterations=many", "--run-dir", "runs/bad");
        assertEquals(1, badValue.exitCode());
        assertTrue(badValue.err().contains("train.iterations"), badValue.err());

        Sslseg.Result unknownEncoder = Sslseg.run(work, home, "train", "--config", config("smoke.yaml"),
                "--set", "model.encoder.type=vit-huge", "--run-dir", "runs/bad");
        assertEquals(1, unknownEncoder.exitCode());
        assertTrue(unknownEncoder.err().contains("unknown encoder 'vit-huge'"), unknownEncoder.err());
        assertTrue(unknownEncoder.err().contains("resnet18"), "lists what is available: " + unknownEncoder.err());

        // a nested component's key, bound only when the term builds it: still before any folder is written
        Sslseg.Result nested = Sslseg.run(work, home, "train", "--config", config("cct-smoke.yaml"), "--set",
                "loss.terms=[{type: cct, perturbations: [{type: dropout, count: 1, rat: 0.5}]}]", "--run-dir", "runs/bad");
        assertEquals(1, nested.exitCode(), nested.all());
        assertTrue(nested.err().contains("loss.terms[0].perturbations[0].rat: unknown key; known keys: rate, spatial"),
                nested.err());
        assertFalse(Files.exists(work.resolve("runs/bad")), "nothing written for a nested component that cannot build");

        Sslseg.Result missing = Sslseg.run(work, home, "train", "--config", "no-such.yaml");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("no-such.yaml"), missing.err());
    }

    @Test
    void helpAndPluginCommands(@TempDir Path work) throws Exception {
        for (String[] cmd : List.of(new String[] {"--help"}, new String[] {"train", "--help"},
                new String[] {"eval", "--help"}, new String[] {"plugins", "list", "--help"},
                new String[] {"plugins", "describe", "--help"}, new String[] {"data", "--help"},
                new String[] {"bench", "--help"})) {
            Sslseg.Result r = Sslseg.run(work, home, cmd);
            assertEquals(0, r.exitCode(), String.join(" ", cmd) + ": " + r.all());
            assertTrue(r.out().contains("Usage"), String.join(" ", cmd));
        }
        Sslseg.Result list = Sslseg.run(work, home, "plugins", "list");
        assertEquals(0, list.exitCode(), list.all());
        for (String name : List.of("resnet18", "resnet50", "cct-main", "fashion-scenes", "voc", "ce")) {
            assertTrue(list.out().contains(name), name + " in: " + list.out());
        }
        // plugins describe: ShippedConfigsIT, over every shipped component
    }

    /** The step benchmark prints its timing and, with --profile, leaves libtorch's trace of the timed steps. */
    @Test
    void benchTrainStepTimesAndWritesAProfilerTrace(@TempDir Path work) throws Exception {
        Sslseg.Result r = Sslseg.run(work, home, "bench", "train-step", "--config", config("smoke.yaml"),
                "--set", "train.batchSize=2", "--warmup", "1", "--steps", "2", "--profile", "trace.json");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().matches("(?s).*training step: mean [0-9.]+ ms.*"), r.out());
        List<?> events = JSON.readValue(work.resolve("trace.json").toFile(), List.class); // Chrome trace, array form
        assertTrue(events.stream().anyMatch(e -> String.valueOf(((Map<?, ?>) e).get("name")).startsWith("aten::conv")),
                "the trace records the steps' convolutions");
        assertFalse(Files.exists(work.resolve("trace.json.part")));
    }

    /** A broken jar dropped beside the good ones: a warning naming it, the others still work. */
    @Test
    void corruptPluginJarDoesNotStopTheOthers(@TempDir Path work) throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        try (Stream<Path> jars = Files.list(Sslseg.HOME.resolve("plugins"))) {
            for (Path j : jars.toList()) {
                Files.copy(j, plugins.resolve(j.getFileName()));
            }
        }
        Files.write(plugins.resolve("broken-plugin.jar"), new byte[] {'P', 'K', 3, 4, 0, 1, 2});
        Sslseg.Result r = Sslseg.run(work, home, "plugins", "list", "--plugins", plugins.toString());
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.err().contains("broken-plugin.jar"), r.err());
        assertTrue(r.out().contains("resnet18"), r.out());
    }

    static String config(String name) {
        return Sslseg.HOME.resolve("configs").resolve(name).toString();
    }

    static List<Map<?, ?>> metrics(Path run) throws IOException {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream().<Map<?, ?>>map(l -> {
            try {
                return JSON.readValue(l, Map.class);
            } catch (IOException e) {
                throw new AssertionError(l, e);
            }
        }).toList();
    }
}
