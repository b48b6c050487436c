package io.sslseg.plugins.weak;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.Split;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.weak.PseudoLabelStage;
import io.sslseg.testkit.TestPlatform;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classifier's loss by hand, and the whole CAM stage on synthetic scenes against a trivial baseline. */
class CamLabelerTest {
    static final String CAM = "pseudoLabels={type: cam, encoder: {type: tiny-cnn}, iterations: 80, batchSize: 16,"
            + " lr: 0.01, scales: [1.0, 1.5], inferenceBatchSize: 16}";
    private static ComponentCatalog catalog;

    @BeforeAll
    static void platform() {
        catalog = TestPlatform.catalog(new WeakLabelsModule());
    }

    @Test
    void multiLabelSoftMarginMatchesTheFormula() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = m.create(new float[] {2f, -1f, 0f, 30f}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray y = m.create(new float[] {1f, 0f, 1f, 0f}, new ai.djl.ndarray.types.Shape(2, 2));
            // -log sigmoid(2), -log(1 - sigmoid(-1)), -log sigmoid(0), -log(1 - sigmoid(30)) = 30 + log(1 + e^-30)
            double expected = (Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-1)) + Math.log(2) + 30 + Math.log1p(Math.exp(-30))) / 4;
            assertEquals(expected, CamLabeler.multiLabelSoftMargin(x, y).getFloat(), 1e-5);
        }
    }

    @Test
    void mirroringSwapsColumns() {
        byte[] rgb = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        RgbImage m = CamLabeler.mirrored(new RgbImage(2, 2, rgb));
        assertArrayEquals(new byte[] {4, 5, 6, 1, 2, 3, 10, 11, 12, 7, 8, 9}, m.rgb());
    }

    /**
     * The stage trains the tag classifier on 96 weak scenes, labels them, writes PNGs and a quality report;
     * the pseudo-labels beat labelling everything background, and a second call reuses the folder.
     */
    @Test
    void stageBeatsAllBackgroundAndIsReused(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(TestPlatform.tinyRun("dataset.weak=96", CAM), catalog, tmp);
        Path dir = tmp.resolve("pl");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        PseudoLabelStage.Quality q;
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            q = PseudoLabelStage.ensure(exp, dir, root, quiet);
        }
        System.out.println("synthetic weak scenes: " + q.describe());
        assertEquals(96, q.images());
        assertTrue(Files.isRegularFile(dir.resolve(PseudoLabelStage.QUALITY)));
        assertFalse(Files.exists(tmp.resolve("pl.partial")), "the temporary folder was renamed");
        String firstId = exp.data().split(Split.WEAK).id(0);
        LabelMask mask = io.sslseg.api.data.voc.VocImages.readMask(dir.resolve(PseudoLabelStage.MASKS).resolve(firstId + ".png"));
        assertEquals(32, mask.width());
        assertTrue(q.ignoredFraction() > 0 && q.ignoredFraction() < 0.6, "ignored " + q.ignoredFraction());
        assertTrue(q.miouIgnoredAsBackground() > q.allBackgroundMiou() + 0.1,
                "pseudo-labels " + q.describe());
        assertTrue(q.miouKeptPixels() > 0.4, q.describe());
        PseudoLabelStage.Quality again;
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            again = PseudoLabelStage.ensure(exp, dir, root, quiet);
        }
        assertEquals(q, again, "a complete folder is reused, not remade");
    }
}
