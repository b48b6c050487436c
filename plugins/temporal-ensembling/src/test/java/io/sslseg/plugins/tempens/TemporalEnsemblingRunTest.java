package io.sslseg.plugins.tempens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.Split;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.data.Batch;
import io.sslseg.platform.data.BatchStream;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.platform.train.DataStreams;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.TrainingRun;
import io.sslseg.platform.train.TrainingStep;
import io.sslseg.testkit.TestPlatform;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The term inside the platform: its gradient through the real step, and whole runs, crashed and resumed. */
class TemporalEnsemblingRunTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final String TERM = "loss.terms=[{type: temporal-ensembling}]";
    private static ComponentCatalog catalog;

    @BeforeAll
    static void platform() {
        catalog = TestPlatform.catalog(new TemporalEnsemblingModule());
    }

    /** The tiny synthetic run (32 px images and crops, batches of 8) with 16 unlabelled images. */
    private static Map<String, Object> run(String... more) {
        List<String> sets = new ArrayList<>(List.of("dataset.unlabeled=16"));
        sets.addAll(List.of(more));
        return TestPlatform.tinyRun(sets.toArray(String[]::new));
    }

    /**
     * Supervised loss at zero: the term alone makes gradients. The first visit has no target (no gradient);
     * the second, on the same batch, reaches the whole network.
     */
    @Test
    void gradientReachesTheNetworkOnceTargetsExist(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(run("loss.supervised.type=zero",
                "loss.terms=[{type: temporal-ensembling, scaleByLabeledFraction: false}]"), catalog, tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                BatchStream labeled = DataStreams.labeled(exp, 0);
                BatchStream unlabeled = DataStreams.extra(exp, Split.UNLABELED, 0)) {
            Experiment.Built model = exp.build(root, Device.cpu(), tmp.resolve("terms"));
            assertEquals(java.util.Set.of(Split.UNLABELED), exp.extraSplits(model.terms()));
            TrainingStep step = TestPlatform.step(exp, model, root);
            Map<Split, Batch> batches = new EnumMap<>(Split.class);
            batches.put(Split.LABELED, labeled.next());
            batches.put(Split.UNLABELED, unlabeled.next());
            try (NDManager sm = root.newSubManager()) {
                // iteration 30 of 60: past the first epoch (2 steps), the ramp (24 steps) complete: w = 30
                Map<String, Double> logged = step.backward(sm, batches, new TrainingClock(30, 60), 1);
                assertEquals(30.0, logged.get("w_te"), 1e-9);
                assertEquals(0.0, logged.get("te_target_fraction"), "first visit: no target yet");
            }
            assertEquals(0.0, TestPlatform.gradientNorm(model.net()), "no target, no gradient");
            try (NDManager sm = root.newSubManager()) {
                Map<String, Double> logged = step.backward(sm, batches, new TrainingClock(30, 60), 1);
                assertEquals(1.0, logged.get("te_target_fraction"), "32 px crops of 32 px images: every pixel");
                assertTrue(logged.get("loss_te") > 0, "loss_te " + logged.get("loss_te"));
                assertEquals(30 * logged.get("loss_te"), logged.get("loss_total"), 1e-5);
            }
            assertTrue(TestPlatform.gradientNorm(model.net().encoder()) > 0, "the encoder learns from the ensemble");
            assertTrue(TestPlatform.gradientNorm(model.net().decoder()) > 0, "the decoder learns from the ensemble");
        }
    }

    @Test
    void noLossAndNoGradientInTheFirstEpoch(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(run("loss.supervised.type=zero", TERM), catalog, tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                BatchStream labeled = DataStreams.labeled(exp, 0);
                BatchStream unlabeled = DataStreams.extra(exp, Split.UNLABELED, 0)) {
            Experiment.Built model = exp.build(root, Device.cpu(), tmp.resolve("terms"));
            TrainingStep step = TestPlatform.step(exp, model, root);
            Map<Split, Batch> batches = new EnumMap<>(Split.class);
            batches.put(Split.LABELED, labeled.next());
            batches.put(Split.UNLABELED, unlabeled.next());
            for (int k = 0; k < 2; k++) {
                try (NDManager sm = root.newSubManager()) {
                    // iteration 1: 8 of 16 images drawn before it
                    Map<String, Double> logged = step.backward(sm, batches, new TrainingClock(1, 60), 1);
                    assertEquals(0.0, logged.get("w_te"));
                    assertEquals(k == 0 ? 0.0 : 1.0, logged.get("te_target_fraction"));
                }
            }
            assertEquals(0.0, TestPlatform.gradientNorm(model.net()));
        }
    }

    @Test
    void refusedWithoutARunFolder(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(run(TERM), catalog, tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SslsegException e = assertThrows(SslsegException.class, () -> exp.build(root, Device.cpu()));
            assertTrue(e.getMessage().contains("temporal-ensembling") && e.getMessage().contains("run folder"),
                    e.getMessage());
        }
    }

    /**
     * A 30-step run (checkpoints every 10) trains with finite losses and a positive weight; the same run
     * crashed at step 25 and resumed from the step-20 checkpoint ends with the same memory, byte for byte, and
     * logs the same values.
     */
    @Test
    void aRunTrainsAndACrashedRunResumesToTheSameMemory(@TempDir Path tmp) throws IOException {
        Experiment straight = Experiment.resolve(run("train.iterations=30", TERM), catalog, tmp);
        RunFolder a = RunFolder.create(tmp.resolve("a"));
        TrainingRun.Result r = new TrainingRun(straight, a, QUIET).execute(false);
        assertEquals("completed", a.status());
        Path termDir = a.dir().resolve(TrainingRun.TERMS).resolve("term0");
        String json = Files.readString(termDir.resolve(TemporalEnsemblingTerm.INFO));
        // 16 images x 3 classes x 32 x 32 halves
        assertTrue(json.contains("\"bytes_per_image\": 6144") && json.contains("\"total_bytes\": 98304"), json);
        assertTrue(Files.exists(termDir.resolve("memory-step0000000030.f16")));
        assertTrue(Files.exists(termDir.resolve("memory-step0000000020.f16")));
        assertFalse(Files.exists(termDir.resolve("memory-step0000000010.f16")));
        List<Map<?, ?>> ma = metrics(a);
        List<Map<?, ?>> train = ma.stream().filter(m -> m.containsKey("loss_te")).toList();
        assertEquals(6, train.size(), "a metrics line every 5 steps");
        for (Map<?, ?> m : train) {
            assertTrue(Double.isFinite(((Number) m.get("loss_te")).doubleValue()), m.toString());
            assertTrue(Double.isFinite(((Number) m.get("loss_total")).doubleValue()), m.toString());
        }
        Map<?, ?> last = train.get(train.size() - 1);
        // M / N = 32 / 48; at step 30 of 30 the ramp (12 steps) is complete
        assertEquals(30 * 32.0 / 48, ((Number) last.get("w_te")).doubleValue(), 1e-9);
        assertTrue(((Number) last.get("loss_te")).doubleValue() > 0);
        assertEquals(1.0, ((Number) last.get("te_target_fraction")).doubleValue());
        assertTrue(Double.isFinite(r.finalMiou()));

        Experiment crashing = Experiment.resolve(run("train.iterations=30", TERM, "loss.supervised.type=crash-at",
                "loss.supervised.atIteration=25"), catalog, tmp);
        RunFolder b = RunFolder.create(tmp.resolve("b"));
        b.writeConfig(crashing.resolvedYaml());
        assertThrows(SslsegException.class, () -> new TrainingRun(crashing, b, QUIET).execute(false));
        Map<String, Object> tree = ConfigTree.fromYaml(b.readConfig());
        Map<String, Object> loss = new java.util.LinkedHashMap<>();
        loss.put("supervised", Map.of("type", "ce"));
        loss.put("terms", List.of(Map.of("type", "temporal-ensembling")));
        tree.put("loss", loss);
        new TrainingRun(Experiment.resolve(tree, catalog, tmp), RunFolder.open(b.dir()), QUIET).execute(true);
        assertEquals("completed", b.status());

        Path termDirB = b.dir().resolve(TrainingRun.TERMS).resolve("term0");
        assertArrayEquals(Files.readAllBytes(termDir.resolve(TemporalEnsemblingTerm.LIVE)),
                Files.readAllBytes(termDirB.resolve(TemporalEnsemblingTerm.LIVE)), "the memory after 30 steps");
        List<Map<?, ?>> mb = metrics(b);
        assertEquals(ma.size(), mb.size());
        for (int i = 0; i < ma.size(); i++) {
            for (String key : List.of("loss_te", "w_te", "te_target_fraction", "loss_sup")) {
                if (ma.get(i).containsKey(key)) {
                    assertEquals(((Number) ma.get(i).get(key)).doubleValue(), ((Number) mb.get(i).get(key)).doubleValue(),
                            0.0, key + " at line " + i);
                }
            }
        }
    }

    private static List<Map<?, ?>> metrics(RunFolder f) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Map<?, ?>> out = new ArrayList<>();
        for (String line : Files.readAllLines(f.dir().resolve(RunFolder.METRICS))) {
            out.add(json.readValue(line, Map.class));
        }
        return out;
    }
}
