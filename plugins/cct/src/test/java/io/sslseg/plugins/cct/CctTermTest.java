package io.sslseg.plugins.cct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sslseg.api.data.Split;
import io.sslseg.api.loss.TrainingClock;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CCT term inside the real training step: where gradients flow, the ramp, and a short run. */
class CctTermTest {
    private static final String ALL_SEVEN = "loss.terms=[{type: cct, perturbations: ["
            + "{type: vat, count: 1, xi: 0.001}, {type: dropout, count: 1}, {type: g-cutout, count: 1, minObjectPixels: 4},"
            + " {type: context-mask, count: 1}, {type: object-mask, count: 1}, {type: feature-drop, count: 1},"
            + " {type: feature-noise, count: 1}]}]";
    private static ComponentCatalog catalog;

    @BeforeAll
    static void platform() {
        catalog = TestPlatform.catalog(new CctModule());
    }

    private static Map<String, Object> run(String... more) {
        String[] base = {"model.decoder.type=cct-main", "model.decoder.width=16", "dataset.unlabeled=32", ALL_SEVEN};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return TestPlatform.tinyRun(all);
    }

    /**
     * With the supervised loss at zero, only unlabelled data drives gradients: the auxiliary heads, the
     * neck and the encoder get some; the main head gets none (its prediction is the detached target).
     */
    @Test
    void unlabeledGradientsReachAuxHeadsNeckAndEncoderButNotTheMainHead(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(run("loss.supervised.type=zero", "train.iterations=10"), catalog, tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                BatchStream labeled = DataStreams.labeled(exp, 0);
                BatchStream unlabeled = DataStreams.extra(exp, Split.UNLABELED, 0)) {
            Experiment.Built model = exp.build(root, Device.cpu());
            CctTerm term = (CctTerm) model.terms().get(0);
            assertEquals(7, term.size());
            // at iteration 5 of 10 the ramp is past its end (10 %), so w_u = 30
            Map<String, Double> logged = backwardAtIteration5(exp, model, root, labeled, unlabeled);
            assertEquals(30.0, logged.get("w_u"), 1e-9);
            assertTrue(logged.get("loss_unsup") > 0);
            io.sslseg.api.model.TwoStageDecoder main =
                    (io.sslseg.api.model.TwoStageDecoder) model.net().decoderComponent();
            assertEquals(0.0, TestPlatform.gradientNorm(main.head()), "main head must get no gradient from unlabelled data");
            assertTrue(TestPlatform.gradientNorm(main.neck()) > 0, "the neck learns from consistency");
            assertTrue(TestPlatform.gradientNorm(model.net().encoder()) > 0, "the encoder learns from consistency");
            for (var b : term.blocks()) {
                assertTrue(TestPlatform.gradientNorm(b.getValue()) > 0, "auxiliary head " + b.getKey() + " gets a gradient");
            }
        }
    }

    /**
     * The reference's placement ({@code at: bottleneck}): the auxiliary decoders read the encoder's deepest stage
     * through upsampling decoders of their own, so with the supervised loss at zero the encoder and they learn, and the
     * whole main decoder (neck and head, whose prediction is the detached target) gets no gradient.
     */
    @Test
    void atTheBottleneckOnlyTheEncoderAndTheAuxiliaryDecodersLearnFromConsistency(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(run("loss.supervised.type=zero", "train.iterations=10",
                ALL_SEVEN.replace("{type: cct, ", "{type: cct, at: bottleneck, ")), catalog, tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                BatchStream labeled = DataStreams.labeled(exp, 0);
                BatchStream unlabeled = DataStreams.extra(exp, Split.UNLABELED, 0)) {
            Experiment.Built model = exp.build(root, Device.cpu());
            CctTerm term = (CctTerm) model.terms().get(0);
            for (var b : term.blocks()) {
                assertTrue(b.getValue() instanceof UpsampleHead, b.getKey() + " is a decoder of its own");
            }
            assertTrue(backwardAtIteration5(exp, model, root, labeled, unlabeled).get("loss_unsup") > 0);
            io.sslseg.api.model.TwoStageDecoder main =
                    (io.sslseg.api.model.TwoStageDecoder) model.net().decoderComponent();
            assertEquals(0.0, TestPlatform.gradientNorm(main.head()), "main head: the target is detached");
            assertEquals(0.0, TestPlatform.gradientNorm(main.neck()), "main neck: not on the auxiliary path");
            assertTrue(TestPlatform.gradientNorm(model.net().encoder()) > 0, "the encoder learns from consistency");
            for (var b : term.blocks()) {
                assertTrue(TestPlatform.gradientNorm(b.getValue()) > 0, "auxiliary decoder " + b.getKey() + " gets a gradient");
            }
        }
    }

    /**
     * {@code train.jointEncoderPass}: one encoder pass over the labelled and unlabelled batches together. When both
     * batches hold the same images, batch norm's statistics over their concatenation are those of either half, so the
     * losses and every gradient must equal those of two separate passes; with different batches the shared
     * statistics change the losses, which shows the pass really is joint.
     */
    @Test
    void aJointEncoderPassEqualsTwoPassesWhenBothBatchesAreTheSameImages(@TempDir Path tmp) {
        Map<String, Double> separate = null;
        double[] separateNorms = null;
        for (boolean joint : new boolean[] {false, true}) {
            Experiment exp = Experiment.resolve(run("train.iterations=10", "train.jointEncoderPass=" + joint), catalog, tmp);
            try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                    BatchStream labeled = DataStreams.labeled(exp, 0);
                    BatchStream unlabeled = DataStreams.extra(exp, Split.UNLABELED, 0)) {
                Experiment.Built model = exp.build(root, Device.cpu());
                Batch same = labeled.next();
                Map<String, Double> logged = backward(exp, model, root, same, same);
                double[] norms = gradientNorms(model);
                assertTrue(norms[0] > 0 && norms[1] > 0 && norms[2] > 0, "encoder, neck and aux heads get gradients");
                if (!joint) {
                    separate = logged;
                    separateNorms = norms;
                    continue;
                }
                for (String key : List.of("loss_sup", "loss_unsup", "loss_total")) {
                    assertEquals(separate.get(key), logged.get(key), 1e-5 * Math.abs(separate.get(key)), key);
                }
                for (int i = 0; i < norms.length; i++) {
                    assertEquals(separateNorms[i], norms[i], 1e-4 * separateNorms[i], "gradient norm " + i);
                }
                Map<String, Double> mixedJoint = backward(exp, model, root, same, unlabeled.next());
                Experiment apart = Experiment.resolve(run("train.iterations=10"), catalog, tmp);
                Experiment.Built twoPasses = apart.build(root, Device.cpu());
                try (BatchStream l2 = DataStreams.labeled(apart, 0); BatchStream u2 = DataStreams.extra(apart, Split.UNLABELED, 0)) {
                    Batch first = l2.next();
                    Map<String, Double> mixedApart = backward(apart, twoPasses, root, first, u2.next());
                    assertTrue(Math.abs(mixedApart.get("loss_sup") - mixedJoint.get("loss_sup")) > 1e-6,
                            "different batches: batch norm's shared statistics change the supervised loss");
                }
            }
        }
    }

    /** Gradient norms of the encoder, the main decoder's neck and the auxiliary heads together. */
    private static double[] gradientNorms(Experiment.Built model) {
        io.sslseg.api.model.TwoStageDecoder main = (io.sslseg.api.model.TwoStageDecoder) model.net().decoderComponent();
        double aux = 0;
        for (var b : model.terms().get(0).blocks()) {
            aux += Math.pow(TestPlatform.gradientNorm(b.getValue()), 2);
        }
        return new double[] {TestPlatform.gradientNorm(model.net().encoder()), TestPlatform.gradientNorm(main.neck()),
            Math.sqrt(aux)};
    }

    /** One step's backward pass (no update) on the next labelled and unlabelled batches, at iteration 5 of 10. */
    private static Map<String, Double> backwardAtIteration5(Experiment exp, Experiment.Built model, NDManager root,
            BatchStream labeled, BatchStream unlabeled) {
        return backward(exp, model, root, labeled.next(), unlabeled.next());
    }

    /** The same on the given batches. */
    private static Map<String, Double> backward(Experiment exp, Experiment.Built model, NDManager root, Batch l, Batch u) {
        TrainingStep step = TestPlatform.step(exp, model, root);
        Map<Split, Batch> batches = new EnumMap<>(Split.class);
        batches.put(Split.LABELED, l);
        batches.put(Split.UNLABELED, u);
        try (NDManager sm = root.newSubManager()) {
            return step.backward(sm, batches, new TrainingClock(5, 10), 1);
        }
    }

    /** config.yaml records the perturbations and the consistency loss the term builds, with every default. */
    @Test
    void theResolvedConfigHoldsTheNestedComponentsWithTheirDefaults() {
        Experiment exp = Experiment.resolve(run("train.iterations=10"), catalog, Path.of("target"));
        exp.checkBuild();
        String yaml = exp.resolvedYaml();
        // the term's own key (count) stays beside the perturbation's parameters
        assertTrue(yaml.contains("- type: vat\n      count: 1\n      xi: 0.001\n      eps: 2.0\n      iterations: 1\n"), yaml);
        assertTrue(yaml.contains("- type: g-cutout\n      count: 1\n      minObjectPixels: 4\n      erase: 0.4\n"), yaml);
        assertTrue(yaml.contains("consistency:\n      type: mse\n      confidenceMasking: false\n"), yaml);
        // read back, the recorded config resolves to itself
        Experiment again = Experiment.resolve(io.sslseg.platform.config.ConfigTree.fromYaml(yaml), catalog, Path.of("target"));
        again.checkBuild();
        assertEquals(yaml, again.resolvedYaml());
    }

    @Test
    void rampReachesTheFinalWeightAtTenPercent() {
        Experiment exp = Experiment.resolve(run("train.iterations=1000"), catalog, Path.of("target"));
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            CctTerm term = (CctTerm) exp.build(root, Device.cpu()).terms().get(0);
            assertEquals(30 * Math.exp(-5), term.weightAt(0), 1e-9);
            assertEquals(30.0, term.weightAt(100), 1e-9);
            assertEquals(30.0, term.weightAt(999), 1e-9);
            assertTrue(term.weightAt(50) > term.weightAt(25));
        }
    }

    /** A short CCT run through the platform loop: completes, logs the CCT scalars, and learns. */
    @Test
    void shortCctRunLogsAndLearns(@TempDir Path tmp) throws IOException {
        Experiment exp = Experiment.resolve(run("train.iterations=40", "train.evalEvery=40"), catalog, tmp);
        RunFolder folder = RunFolder.create(tmp.resolve("run"));
        TrainingRun.Result r = new TrainingRun(exp, folder, new PrintStream(OutputStream.nullOutputStream())).execute(false);
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(folder.dir().resolve(RunFolder.METRICS));
        Map<?, ?> first = json.readValue(lines.get(0), Map.class);
        assertTrue(first.containsKey("loss_unsup") && first.containsKey("w_u"), lines.get(0));
        assertEquals("completed", folder.status());
        assertTrue(r.finalMiou() > 0.3, "mIoU " + r.finalMiou());
    }
}
