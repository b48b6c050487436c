package io.sslseg.plugins.weak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.Split;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.api.model.TwoStageDecoder;
import io.sslseg.platform.config.ConfigException;
import io.sslseg.platform.data.Batch;
import io.sslseg.platform.data.BatchStream;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.platform.train.DataStreams;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.TrainingRun;
import io.sslseg.platform.train.TrainingStep;
import io.sslseg.platform.weak.PseudoLabelStage;
import io.sslseg.plugins.cct.CctModule;
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

/** CCT's weak-label term on pseudo-labels: where its gradient goes, when it is refused, and a whole run. */
class CctWeakRunTest {
    private static final String TERMS = "loss.terms=[{type: cct, split: weak, weight: %s, perturbations:"
            + " [{type: feature-noise, count: 2}]}, {type: cct-weak}]";
    private static ComponentCatalog catalog;

    @BeforeAll
    static void platform() {
        catalog = TestPlatform.catalog(new CctModule(), new WeakLabelsModule());
    }

    private static Map<String, Object> run(String... more) {
        List<String> sets = new ArrayList<>(List.of("model.decoder.type=cct-main", "model.decoder.width=16",
                "dataset.weak=48", CamLabelerTest.CAM));
        sets.addAll(List.of(more));
        return TestPlatform.tinyRun(sets.toArray(String[]::new));
    }

    /**
     * Supervised and consistency weights at zero, so the weak term alone makes gradients: they reach the
     * auxiliary heads, the neck and the encoder, never the main head.
     */
    @Test
    void weakGradientsReachAuxHeadsNeckAndEncoderButNotTheMainHead(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(run("loss.supervised.type=zero", TERMS.formatted("0.0")), catalog, tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                BatchStream labeled = DataStreams.labeled(exp, 0);
                // any masks serve as pseudo-labels here: the labelled scenes'
                BatchStream weak = DataStreams.extra(exp, Split.WEAK, exp.data().split(Split.LABELED), 0)) {
            Experiment.Built model = exp.build(root, Device.cpu());
            assertEquals(java.util.Set.of(Split.WEAK), exp.extraSplits(model.terms()));
            TrainingStep step = TestPlatform.step(exp, model, root);
            Map<Split, Batch> batches = new EnumMap<>(Split.class);
            batches.put(Split.LABELED, labeled.next());
            batches.put(Split.WEAK, weak.next());
            try (NDManager sm = root.newSubManager()) {
                // the run has 60 iterations: the ramp ends at step 6
                Map<String, Double> logged = step.backward(sm, batches, new TrainingClock(30, 60), 1);
                assertEquals(0.4, logged.get("w_w"), 1e-9, "w_w = 0.4 once the ramp is complete");
                assertTrue(logged.get("loss_weak") > 0);
            }
            TwoStageDecoder main = (TwoStageDecoder) model.net().decoderComponent();
            assertEquals(0.0, TestPlatform.gradientNorm(main.head()), "the main head must not learn from pseudo-labels");
            assertTrue(TestPlatform.gradientNorm(main.neck()) > 0, "the neck learns from pseudo-labels");
            assertTrue(TestPlatform.gradientNorm(model.net().encoder()) > 0, "the encoder learns from pseudo-labels");
            for (var b : model.terms().get(0).blocks()) {
                assertTrue(TestPlatform.gradientNorm(b.getValue()) > 0, "auxiliary head " + b.getKey() + " gets a gradient");
            }
        }
    }

    @Test
    void weightFollowsTheCctRamp(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(run("train.iterations=1000", TERMS.formatted("30.0")), catalog, tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            List<io.sslseg.api.method.LossTerm> terms = exp.build(root, Device.cpu()).terms();
            io.sslseg.plugins.cct.CctTerm cct = (io.sslseg.plugins.cct.CctTerm) terms.get(0);
            io.sslseg.plugins.cct.CctWeakTerm weak = (io.sslseg.plugins.cct.CctWeakTerm) terms.get(1);
            for (long t : new long[] {0, 25, 50, 100, 500}) {
                assertEquals(0.4 * cct.weightAt(t) / 30.0, weak.weightAt(t), 1e-12, "w_w = 0.4 w_u / 30 at " + t);
            }
        }
    }

    @Test
    void refusedWithoutACctTermBeforeItOrWithCctOnTheUnlabelledSplit(@TempDir Path tmp) {
        Experiment alone = Experiment.resolve(run("loss.terms=[{type: cct-weak}]"), catalog, tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SslsegException e = assertThrows(SslsegException.class, () -> alone.build(root, Device.cpu()));
            assertTrue(e.getMessage().contains("list a cct term (with split: weak) before it"), e.getMessage());
            Experiment unlabelled = Experiment.resolve(run("loss.terms=[{type: cct, perturbations: [{type: dropout,"
                    + " count: 1}]}, {type: cct-weak}]"), catalog, tmp);
            e = assertThrows(SslsegException.class, () -> unlabelled.build(root, Device.cpu()));
            assertTrue(e.getMessage().contains("set its split: weak"), e.getMessage());
        }
    }

    @Test
    void refusedWhenTheDatasetHasNoWeakSplit(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(run("dataset.weak=0", TERMS.formatted("30.0")), catalog, tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Experiment.Built model = exp.build(root, Device.cpu());
            ConfigException e = assertThrows(ConfigException.class, () -> exp.extraSplits(model.terms()));
            assertTrue(e.getMessage().contains("needs the weak split, but the dataset has none"), e.getMessage());
        }
    }

    /** A run makes its pseudo-labels first (in the run folder), then trains on them and logs the weak loss. */
    @Test
    void aRunMakesPseudoLabelsThenTrainsOnThem(@TempDir Path tmp) throws IOException {
        Experiment exp = Experiment.resolve(run("train.iterations=30", "train.evalEvery=30", TERMS.formatted("30.0")),
                catalog, tmp);
        RunFolder folder = RunFolder.create(tmp.resolve("run"));
        TrainingRun.Result r = new TrainingRun(exp, folder, new PrintStream(OutputStream.nullOutputStream())).execute(false);
        assertEquals("completed", folder.status());
        Path pl = folder.dir().resolve(TrainingRun.PSEUDO_LABELS);
        assertTrue(Files.isRegularFile(pl.resolve(PseudoLabelStage.QUALITY)));
        try (var files = Files.list(pl.resolve(PseudoLabelStage.MASKS))) {
            assertEquals(48, files.count());
        }
        String last = Files.readAllLines(folder.dir().resolve(RunFolder.METRICS)).stream()
                .filter(l -> l.contains("loss_weak")).reduce((a, b) -> b).orElseThrow();
        Map<?, ?> m = new ObjectMapper().readValue(last, Map.class);
        assertTrue(((Number) m.get("w_w")).doubleValue() > 0, last);
        assertTrue(r.finalMiou() > 0.3, "mIoU " + r.finalMiou());
    }
}
