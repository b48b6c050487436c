package io.sslseg.platform.weak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.Split;
import io.sslseg.api.data.voc.VocImages;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.train.Experiment;
import io.sslseg.testkit.PseudoLabelerContract;
import io.sslseg.testkit.TestPlatform;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The built-in {@code folder} pseudo-labeller: another labelling's masks, checked and scored by the stage. */
class FolderPseudoLabelsTest {
    private static final ComponentCatalog CATALOG = TestPlatform.catalog();
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    private static Experiment experiment(Path tmp, Path masks) {
        return Experiment.resolve(TestPlatform.tinyRun("dataset.weak=12", "pseudoLabels={type: folder, dir: '"
                + masks + "'}"), CATALOG, tmp);
    }

    @Test
    void readsEveryWeakMaskAndScoresThem(@TempDir Path tmp) throws Exception {
        Path masks = tmp.resolve("masks");
        Files.createDirectories(masks.resolve("SegmentationClass"));
        Experiment exp = experiment(tmp, masks);
        SampleList weak = exp.data().split(Split.WEAK);
        java.util.Set<Integer> present = new java.util.HashSet<>();
        for (int i = 0; i < weak.size(); i++) {
            LabelMask truth = exp.data().referenceMask(Split.WEAK, i);
            VocImages.writeMask(masks.resolve("SegmentationClass").resolve(weak.id(i) + ".png"), truth);
            for (byte b : truth.labels()) {
                if ((b & 0xFF) != LabelMask.IGNORE) {
                    present.add(b & 0xFF);
                }
            }
        }
        try (NDManager root = NDManager.newBaseManager("PyTorch")) {
            PseudoLabelStage.Quality q = PseudoLabelStage.ensure(exp, tmp.resolve("run-labels"), root, QUIET);
            assertEquals(12, q.images());
            // perfect on every class present; a class absent from these images counts 0, as in evaluation
            assertEquals(present.size() / (double) exp.numClasses(), q.miouKeptPixels(), 1e-9, q.describe());
            assertTrue(present.size() >= 2);
        }
        LabelMask copied = VocImages.readMask(tmp.resolve("run-labels/SegmentationClass").resolve(weak.id(3) + ".png"));
        assertTrue(java.util.Arrays.equals(exp.data().referenceMask(Split.WEAK, 3).labels(), copied.labels()));
    }

    @Test
    void aMissingMaskOrABadLabelIsNamed(@TempDir Path tmp) throws Exception {
        Path masks = tmp.resolve("masks");
        Files.createDirectories(masks);
        Experiment exp = experiment(tmp, masks);
        SampleList weak = exp.data().split(Split.WEAK);
        try (NDManager root = NDManager.newBaseManager("PyTorch")) {
            SslsegException missing = assertThrows(SslsegException.class,
                    () -> PseudoLabelStage.ensure(exp, tmp.resolve("a"), root, QUIET));
            assertTrue(missing.getMessage().contains(weak.id(0)), missing.getMessage());
            for (int i = 0; i < weak.size(); i++) {
                byte[] labels = exp.data().referenceMask(Split.WEAK, i).labels().clone();
                if (i == 5) {
                    labels[0] = 99; // no such class
                }
                LabelMask m = exp.data().referenceMask(Split.WEAK, i);
                VocImages.writeMask(masks.resolve(weak.id(i) + ".png"), new LabelMask(m.width(), m.height(), labels));
            }
            SslsegException bad = assertThrows(SslsegException.class,
                    () -> PseudoLabelStage.ensure(exp, tmp.resolve("b"), root, QUIET));
            assertTrue(bad.getMessage().contains(weak.id(5) + ".png") && bad.getMessage().contains("99"), bad.getMessage());
        }
    }

    /** The pseudo-labeller contract on the folder labeller, given the weak scenes' true masks. */
    @TestFactory
    Stream<DynamicTest> theFolderLabellerMeetsTheContract() throws Exception {
        Path masks = Files.createTempDirectory("sslseg-folder-labels");
        Experiment exp = Experiment.resolve(TestPlatform.tinyRun("dataset.weak=" + PseudoLabelerContract.WEAK_SCENES),
                CATALOG, masks);
        SampleList weak = exp.data().split(Split.WEAK);
        for (int i = 0; i < weak.size(); i++) {
            VocImages.writeMask(masks.resolve(weak.id(i) + ".png"), exp.data().referenceMask(Split.WEAK, i));
        }
        return PseudoLabelerContract.check("{type: folder, dir: '" + masks + "'}");
    }
}
