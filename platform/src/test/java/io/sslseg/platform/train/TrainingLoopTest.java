package io.sslseg.platform.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.Split;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.data.Batch;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.run.RunEnvironment;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.testkit.TestPlatform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervised loop on the synthetic dataset: it learns, memory stays flat, a crashed run resumes exactly. */
class TrainingLoopTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static ComponentCatalog catalog;

    @BeforeAll
    static void platform() {
        catalog = TestPlatform.catalog();
    }

    @Test
    void lossFallsAndMiouBeatsMajorityClass(@TempDir Path tmp) throws IOException {
        Experiment exp = Experiment.resolve(TestPlatform.tinyRun(), catalog, tmp);
        RunFolder folder = RunFolder.create(tmp.resolve("run"));
        TrainingRun.Result r = new TrainingRun(exp, folder, QUIET).execute(false);

        List<Map<?, ?>> lines = metrics(folder);
        List<Double> losses = lines.stream().filter(m -> m.containsKey("loss_sup"))
                .map(m -> ((Number) m.get("loss_sup")).doubleValue()).toList();
        double first = losses.get(0);
        double last = losses.get(losses.size() - 1);
        assertTrue(last < 0.5 * first, "loss should fall: first " + first + ", last " + last);

        double majority = majorityClassMiou(exp.data().split(Split.VAL), exp.numClasses());
        assertTrue(r.finalMiou() > majority + 0.15, "mIoU " + r.finalMiou() + " vs majority-class " + majority);
        assertEquals("completed", folder.status());
        assertTrue(lines.stream().anyMatch(m -> m.containsKey("miou")), "validation lines carry miou");
        assertTrue(Files.exists(folder.checkpoints().resolve(Checkpoint.LATEST)));
        assertTrue(Files.exists(folder.checkpoints().resolve(Checkpoint.BEST)));
    }

    @Test
    void memoryStaysFlatOverManySteps(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(TestPlatform.tinyRun(), catalog, tmp);
        RunConfig.Train t = exp.config().train();
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                io.sslseg.platform.data.BatchStream data = DataStreams.labeled(exp, 0)) {
            Experiment.Built model = exp.build(root, Device.cpu());
            TrainingStep step = exp.training(model, root).step();
            int afterWarmup = 0;
            for (int i = 0; i < 300; i++) {
                step.run(Map.of(Split.LABELED, data.next()), 0.01, new TrainingClock(i, 300), i);
                if (i == 19) {
                    afterWarmup = root.getManagedArrays().size();
                }
            }
            assertEquals(afterWarmup, root.getManagedArrays().size(), "arrays alive after 300 steps vs after 20");
        }
    }

    @Test
    void crashedRunResumesToTheSameResult(@TempDir Path tmp) throws IOException {
        // the counting term's state travels in the checkpoint: its logged count shows whether it was restored
        RunFolder a = straightRun(tmp);

        Experiment crashing = Experiment.resolve(TestPlatform.tinyRun("train.iterations=30",
                "loss.terms=[{type: counting}]", "loss.supervised.type=crash-at", "loss.supervised.atIteration=25"), catalog, tmp);
        RunFolder b = RunFolder.create(tmp.resolve("b"));
        b.writeConfig(crashing.resolvedYaml());
        assertThrows(SslsegException.class, () -> new TrainingRun(crashing, b, QUIET).execute(false));
        assertTrue(b.status().startsWith("failed"), b.status());

        // continue with the plain loss: the checkpoint at step 20 must carry the run on exactly
        Map<String, Object> tree = ConfigTree.fromYaml(b.readConfig());
        tree.put("loss", Map.of("supervised", Map.of("type", "ce"), "terms", List.of(Map.of("type", "counting"))));
        Experiment resumed = Experiment.resolve(tree, catalog, tmp);
        new TrainingRun(resumed, RunFolder.open(b.dir()), QUIET).execute(true);

        List<Map<?, ?>> ma = metrics(a);
        assertSameMetrics(ma, metrics(b));
        Map<?, ?> lastTrainLine = ma.stream().filter(m -> m.containsKey("after_backward_calls")).reduce((x, y) -> y)
                .orElseThrow();
        assertEquals(30, ((Number) lastTrainLine.get("step")).intValue());
        assertEquals(29.0, ((Number) lastTrainLine.get("after_backward_calls")).doubleValue(),
                "afterBackward ran once per step before step 30");

        // every process that trained the run left its environment: the start, then the resume
        List<String> env = java.nio.file.Files.readAllLines(b.dir().resolve(RunEnvironment.FILE));
        assertEquals(2, env.size(), env.toString());
        Map<?, ?> first = new com.fasterxml.jackson.databind.ObjectMapper().readValue(env.get(0), Map.class);
        Map<?, ?> second = new com.fasterxml.jackson.databind.ObjectMapper().readValue(env.get(1), Map.class);
        assertEquals(false, first.get("resume"));
        assertEquals(true, second.get("resume"));
        assertEquals(io.sslseg.api.ApiVersion.VERSION, first.get("sslseg"));
        assertEquals(ai.djl.engine.Engine.getEngine("PyTorch").getVersion(), first.get("libtorch"));
        assertEquals("cpu()", first.get("device"));
        for (String key : List.of("commit", "djl", "jvm", "os", "threads", "host", "started")) {
            assertTrue(first.get(key) != null && !first.get(key).toString().isBlank(), key + " in " + first);
        }
        // and a TensorBoard event file each (their content: TensorBoardLogTest)
        try (var files = java.nio.file.Files.list(b.dir().resolve(io.sslseg.platform.run.TensorBoardLog.FOLDER))) {
            List<Path> events = files.toList();
            assertEquals(2, events.size(), events.toString());
            for (Path f : events) {
                assertTrue(f.getFileName().toString().startsWith("events.out.tfevents.") && java.nio.file.Files.size(f) > 100,
                        f + ": " + java.nio.file.Files.size(f) + " bytes");
            }
        }
    }

    @Test
    void aTransientNanGradientIsReplayedFromTheCheckpointAndLeavesNoTrace(@TempDir Path tmp) throws IOException {
        RunFolder a = straightRun(tmp);

        // step 15's gradient is NaN once; the checkpoint at step 10 replays steps 11-15 without the fault
        Experiment faulty = Experiment.resolve(TestPlatform.tinyRun("train.iterations=30", "loss.terms=[{type: counting},"
                + " {type: faulty-gradient, atIteration: 14, times: 1, tag: transient}]"), catalog, tmp);
        RunFolder b = RunFolder.create(tmp.resolve("b"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        new TrainingRun(faulty, b, new PrintStream(console, true, StandardCharsets.UTF_8)).execute(false);

        String out = console.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("warning: step 15: the gradient of ") && out.contains("has NaN or Inf; the update was not"
                + " applied; replaying from the last checkpoint (1 of 3)") && out.contains("at step 10 of 30"), out);
        assertEquals("completed", b.status());
        assertSameMetrics(metrics(a), metrics(b));
    }

    @Test
    void aNanTheReplayReproducesStopsTheRunNamingTheParameter(@TempDir Path tmp) {
        Experiment faulty = Experiment.resolve(TestPlatform.tinyRun("train.iterations=30",
                "loss.terms=[{type: faulty-gradient, atIteration: 4, times: 1000, tag: reproducible}]"), catalog, tmp);
        RunFolder f = RunFolder.create(tmp.resolve("f"));
        SslsegException e = assertThrows(SslsegException.class, () -> new TrainingRun(faulty, f, QUIET).execute(false));
        // before the first checkpoint: the replay starts from the step-0 state saved before step 1
        assertTrue(e.getMessage().startsWith("step 5: the gradient of ") && e.getMessage().contains("has NaN or Inf")
                && e.getMessage().contains("again on replay; training stopped (lower train.optimizer.lr"), e.getMessage());
        assertTrue(f.status().startsWith("failed: step 5"), f.status());
    }

    /** 30 steps with the counting term (its state travels in the checkpoint), in tmp/a, never interrupted. */
    private static RunFolder straightRun(Path tmp) {
        Experiment straight = Experiment.resolve(TestPlatform.tinyRun("train.iterations=30",
                "loss.terms=[{type: counting}]"), catalog, tmp);
        RunFolder a = RunFolder.create(tmp.resolve("a"));
        new TrainingRun(straight, a, QUIET).execute(false);
        return a;
    }

    private static void assertSameMetrics(List<Map<?, ?>> ma, List<Map<?, ?>> mb) {
        assertEquals(ma.size(), mb.size(), "no metrics line lost or repeated");
        for (int i = 0; i < ma.size(); i++) {
            assertEquals(ma.get(i).get("step"), mb.get(i).get("step"));
            for (String key : List.of("loss_sup", "miou", "after_backward_calls")) {
                if (ma.get(i).containsKey(key)) {
                    double x = ((Number) ma.get(i).get(key)).doubleValue();
                    double y = ((Number) mb.get(i).get(key)).doubleValue();
                    assertEquals(x, y, 1e-5 * Math.max(1, Math.abs(x)), key + " at line " + i);
                }
            }
        }
    }

    static double majorityClassMiou(SampleList val, int classes) {
        long bg = 0;
        long total = 0;
        for (int i = 0; i < val.size(); i++) {
            Sample s = val.load(i);
            for (byte b : s.mask().labels()) {
                int v = b & 0xFF;
                if (v != 255) {
                    total++;
                    if (v == 0) {
                        bg++;
                    }
                }
            }
        }
        return (double) bg / total / classes; // background IoU = bg/total, every other class 0
    }

    static List<Map<?, ?>> metrics(RunFolder f) throws IOException {
        return RunFolder.readMetrics(f.dir());
    }
}
