package io.sslseg.plugins.fixmatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.Split;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.platform.data.Batch;
import io.sslseg.platform.data.BatchStream;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.platform.train.DataStreams;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.TrainingRun;
import io.sslseg.plugins.augment.AugmentationsModule;
import io.sslseg.testkit.TestPlatform;
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

/** The fixmatch term in the platform: its schedule, its bad inputs, and a tiny run that learns. */
class FixMatchTermTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static ComponentCatalog catalog;

    @BeforeAll
    static void platform() {
        catalog = TestPlatform.catalog(new FixMatchModule(), new AugmentationsModule());
    }

    private static Experiment experiment(Path tmp, String... sets) {
        List<String> all = new ArrayList<>(List.of("dataset.unlabeled=16"));
        all.addAll(List.of(sets));
        return Experiment.resolve(TestPlatform.tinyRun(all.toArray(String[]::new)), catalog, tmp);
    }

    /**
     * Before {@code rampUpStart} the term is off: no loss, no gradient from it; at the end of the ramp its weight is
     * {@code weight}, and with threshold 0 every pixel is trained (mask ratio 1).
     */
    @Test
    void warmUpStepsAddNothingAndTheWeightRampsToItsValue(@TempDir Path tmp) {
        Experiment exp = experiment(tmp, "loss.supervised.type=zero",
                "loss.terms=[{type: fixmatch, threshold: 0.0, weight: 2.0, rampUpStart: 0.5, rampUpEnd: 0.75}]");
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                BatchStream l = DataStreams.labeled(exp, 0);
                BatchStream u = DataStreams.extra(exp, Split.UNLABELED, 0)) {
            Experiment.Training t = exp.training(root, Device.cpu(), null);
            Map<Split, Batch> batches = new EnumMap<>(Split.class);
            batches.put(Split.LABELED, l.next());
            batches.put(Split.UNLABELED, u.next());
            try (NDManager sm = root.newSubManager()) {
                Map<String, Double> logged = t.step().backward(sm, batches, new TrainingClock(29, 60), 1);
                assertEquals(0.0, logged.get("w_u"));
                assertFalse(logged.containsKey("loss_u"), "a warm-up step computes nothing: " + logged);
            }
            assertEquals(0.0, TestPlatform.gradientNorm(t.model().net()));
            try (NDManager sm = root.newSubManager()) {
                Map<String, Double> logged = t.step().backward(sm, batches, new TrainingClock(45, 60), 1);
                assertEquals(2.0, logged.get("w_u"));
                assertEquals(1.0, logged.get("mask_ratio"));
                assertEquals(2.0 * logged.get("loss_u"), logged.get("loss_total"), 1e-5);
            }
            assertTrue(TestPlatform.gradientNorm(t.model().net()) > 0);
        }
    }

    @Test
    void badParametersAndAMissingSplitFailBeforeAnyRunFolderIsWritten(@TempDir Path tmp) {
        SslsegException threshold = assertThrows(SslsegException.class,
                () -> experiment(tmp, "loss.terms=[{type: fixmatch, threshold: 1.5}]"));
        assertTrue(threshold.getMessage().contains("loss.terms[0]") && threshold.getMessage().contains("threshold"),
                threshold.getMessage());
        SslsegException decay = assertThrows(SslsegException.class,
                () -> experiment(tmp, "loss.terms=[{type: fixmatch, emaDecay: 1.0}]"));
        assertTrue(decay.getMessage().contains("loss.terms[0]") && decay.getMessage().contains("emaDecay"),
                decay.getMessage());
        SslsegException teacher = assertThrows(SslsegException.class,
                () -> experiment(tmp, "loss.terms=[{type: fixmatch}]", "eval.model=teacher").checkBuild());
        assertTrue(teacher.getMessage().contains("eval.model"), teacher.getMessage());
        SslsegException split = assertThrows(SslsegException.class,
                () -> experiment(tmp, "dataset.unlabeled=0", "loss.terms=[{type: fixmatch}]").checkBuild());
        assertTrue(split.getMessage().contains("unlabeled split"), split.getMessage());
        SslsegException unknown = assertThrows(SslsegException.class,
                () -> experiment(tmp, "loss.terms=[{type: fixmatch, strong: [{type: blur}, {type: sharpen}]}]").checkBuild());
        assertTrue(unknown.getMessage().contains("loss.terms[0].strong[1].type") && unknown.getMessage().contains("sharpen"),
                unknown.getMessage());
    }

    /** 60 steps of the tiny run with the term on: the supervised loss falls and val mIoU beats the majority class. */
    @Test
    void aTinyRunLearns(@TempDir Path tmp) throws Exception {
        Experiment exp = experiment(tmp, "loss.terms=[{type: fixmatch, threshold: 0.7}]");
        RunFolder folder = RunFolder.create(tmp.resolve("run"));
        TrainingRun.Result r = new TrainingRun(exp, folder, QUIET).execute(false);
        List<String> lines = Files.readAllLines(folder.dir().resolve(RunFolder.METRICS));
        List<Double> sup = lines.stream().filter(s -> s.contains("\"loss_sup\"")).map(s -> number(s, "loss_sup")).toList();
        assertTrue(sup.get(sup.size() - 1) < 0.5 * sup.get(0), "loss_sup " + sup);
        assertTrue(lines.stream().anyMatch(s -> s.contains("\"mask_ratio\"")), "the term logs its mask ratio");
        assertTrue(r.finalMiou() > 0.4, "val mIoU " + r.finalMiou());
    }

    private static double number(String json, String key) {
        int i = json.indexOf("\"" + key + "\":") + key.length() + 3;
        int j = i;
        while (j < json.length() && "-+.0123456789Ee".indexOf(json.charAt(j)) >= 0) {
            j++;
        }
        return Double.parseDouble(json.substring(i, j));
    }
}
