package io.sslseg.plugins.tempens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.AugmentView;
import io.sslseg.api.data.SampleList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The term on chosen predictions: the ensemble and its bias correction, geometry, loss, gradient, weight. */
class TemporalEnsemblingTermTest {
    private static final double ALPHA = 0.6;
    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static TemporalEnsemblingTerm term(Path dir, SampleList unlabelled, double wMax, boolean scale) {
        return new TemporalEnsemblingTerm(Fixtures.params(ALPHA, wMax, scale, 0.5),
                Fixtures.context(3, 20, 4, unlabelled, dir));
    }

    private static Fixtures.Step step(float[] probs, Shape shape, List<String> ids, List<AugmentView> views, long it) {
        return new Fixtures.Step(manager, Fixtures.logitsOf(manager, probs, shape), ids, views, it, 20);
    }

    /** The bias-corrected target the memory holds for one cell. */
    private static float[] target(TemporalEnsemblingTerm t, int image, int cell) {
        float[] z = new float[t.memory().layout().classes()];
        t.memory().read(image, cell, z);
        double sum = 0;
        for (float v : z) {
            sum += v;
        }
        float[] out = new float[z.length];
        for (int c = 0; c < z.length; c++) {
            out[c] = (float) (z[c] / sum);
        }
        return out;
    }

    private static double classSum(TemporalEnsemblingTerm t, int image, int cell) {
        float[] z = new float[t.memory().layout().classes()];
        t.memory().read(image, cell, z);
        double sum = 0;
        for (float v : z) {
            sum += v;
        }
        return sum;
    }

    @Test
    void ensembleWithBiasCorrectionAtOnePixel(@TempDir Path dir) {
        TemporalEnsemblingTerm t = term(dir, Fixtures.images("u", 1, 1, 1), 30, true);
        float[][] p = {{0.7f, 0.2f, 0.1f}, {0.1f, 0.6f, 0.3f}, {0.3f, 0.3f, 0.4f}, {0.05f, 0.05f, 0.9f}};
        Shape s = new Shape(1, 3, 1, 1);
        List<String> ids = List.of("u_0");
        List<AugmentView> views = List.of(AugmentView.identity(1, 1));

        Fixtures.Step s1 = step(p[0], s, ids, views, 0);
        assertNull(t.compute(s1), "nothing to compare with at the first visit");
        assertEquals(0.0, s1.logged.get("te_target_fraction"));
        assertEquals(0.0, s1.logged.get("w_te"), "w = 0 in the first epoch");
        // after p1 the target is p1 exactly, up to float16 storage
        assertArrayEquals(p[0], target(t, 0, 0), 5e-4f);
        assertEquals(1 - ALPHA, classSum(t, 0, 0), 5e-4, "class-sum after one update: 1 - alpha");

        Fixtures.Step s2 = step(p[1], s, ids, views, 1);
        assertNotNull(t.compute(s2), "w > 0 from the second epoch (1 image, 1 per step)");
        assertEquals(1.0, s2.logged.get("te_target_fraction"));
        // the loss compares p2 with the target of before the update, p1: ((0.6)^2 + (0.4)^2 + (0.2)^2) / 3
        assertEquals((0.36 + 0.16 + 0.04) / 3, s2.logged.get("loss_te"), 1e-3);
        // after p1, p2: (alpha (1 - alpha) p1 + (1 - alpha) p2) / (1 - alpha^2) = 0.375 p1 + 0.625 p2
        assertArrayEquals(new float[] {0.325f, 0.45f, 0.225f}, target(t, 0, 0), 1e-3f);
        assertEquals(1 - ALPHA * ALPHA, classSum(t, 0, 0), 1e-3, "class-sum 1 - alpha^2");

        // after p1, p2, p3: weights (alpha^2, alpha, 1) (1 - alpha) / (1 - alpha^3) = (0.144, 0.24, 0.4) / 0.784
        t.compute(step(p[2], s, ids, views, 2));
        float[] want3 = new float[3];
        for (int c = 0; c < 3; c++) {
            want3[c] = (float) ((0.144 * p[0][c] + 0.24 * p[1][c] + 0.4 * p[2][c]) / 0.784);
        }
        assertArrayEquals(want3, target(t, 0, 0), 1e-3f);
        assertEquals(0.312245f, want3[0], 1e-6f, "hand value of class 0");

        // and p4: (0.0864, 0.144, 0.24, 0.4) / 0.8704
        Fixtures.Step s4 = step(p[3], s, ids, views, 3);
        t.compute(s4);
        double loss4 = 0;
        for (int c = 0; c < 3; c++) {
            loss4 += Math.pow(p[3][c] - want3[c], 2) / 3;
        }
        assertEquals(loss4, s4.logged.get("loss_te"), 1e-3, "step 4 compares p4 with the 3-step ensemble");
        float[] want4 = new float[3];
        for (int c = 0; c < 3; c++) {
            want4[c] = (float) ((0.0864 * p[0][c] + 0.144 * p[1][c] + 0.24 * p[2][c] + 0.4 * p[3][c]) / 0.8704);
        }
        assertArrayEquals(want4, target(t, 0, 0), 1e-3f);
        assertEquals(1 - Math.pow(ALPHA, 4), classSum(t, 0, 0), 1e-3);
    }

    /** Class-0 probability of crop cell (x, y) in the geometry tests: distinct per cell. */
    private static float a(int x, int y) {
        return 0.05f + 0.02f * x + 0.1f * y;
    }

    private static float[] twoClass(int n, int w, int h, java.util.function.BiFunction<Integer, Integer, Float> f) {
        float[] out = new float[n * 2 * w * h];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = f.apply(x, y);
                    out[(i * 2) * w * h + y * w + x] = v;
                    out[(i * 2 + 1) * w * h + y * w + x] = 1 - v;
                }
            }
        }
        return out;
    }

    @Test
    void flippedViewWritesAndReadsMirroredCellsAndPaddingGetsNoTarget(@TempDir Path dir) {
        // 6 wide, 4 high: the 6 px crop pads rows 4 and 5
        TemporalEnsemblingTerm t = new TemporalEnsemblingTerm(Fixtures.params(ALPHA, 30, true, 0.5),
                Fixtures.context(2, 20, 4, Fixtures.images("u", 1, 6, 4), dir));
        Shape s = new Shape(1, 2, 6, 6);
        List<String> ids = List.of("u_0");
        AugmentView flipped = new AugmentView(6, 4, 6, 4, 0, 0, true, 6);
        Fixtures.Step s1 = step(twoClass(1, 6, 6, this::aBoxed), s, ids, List.of(flipped), 0);
        t.compute(s1);
        PredictionMemory.Layout l = t.memory().layout();
        assertEquals(4, l.height());
        assertEquals(6, l.width());
        float[] z = new float[2];
        for (int sy = 0; sy < 4; sy++) {
            for (int sx = 0; sx < 6; sx++) {
                t.memory().read(0, sy * 6 + sx, z);
                // the stored map is in the image's frame: source column sx came from crop column 5 - sx
                assertEquals((1 - ALPHA) * a(5 - sx, sy), z[0], 5e-4, "cell " + sx + "," + sy);
                assertEquals((1 - ALPHA) * (1 - a(5 - sx, sy)), z[1], 5e-4);
            }
        }

        // an unflipped view now reads the targets mirrored back, and none in the 12 padding cells
        AugmentView plain = AugmentView.identity(6, 4);
        assertEquals(6, plain.crop());
        float[] q = twoClass(1, 6, 6, (x, y) -> 0.5f);
        Fixtures.Step s2 = step(q, s, ids, List.of(plain), 1);
        t.compute(s2);
        assertEquals(24.0 / 36, s2.logged.get("te_target_fraction"), 1e-12);
        double loss = 0;
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                loss += 2 * Math.pow(0.5 - a(5 - x, y), 2); // both classes differ by the same amount
            }
        }
        assertEquals(loss / (24 * 2), s2.logged.get("loss_te"), 1e-3);
        for (int cell = 0; cell < 24; cell++) {
            assertEquals(1 - ALPHA * ALPHA, classSum(t, 0, cell), 1e-3, "one update per visit, none from padding");
        }
    }

    private Float aBoxed(Integer x, Integer y) {
        return a(x, y);
    }

    @Test
    void aCellCoveredByManyCropCellsIsUpdatedOncePerVisit(@TempDir Path dir) {
        // a 4x4 image scaled to 8x8; the 4 px crop at (4, 0) covers source x 2..3, y 0..1, each source pixel 2x2 times
        TemporalEnsemblingTerm t = new TemporalEnsemblingTerm(Fixtures.params(ALPHA, 30, true, 0.5),
                Fixtures.context(2, 20, 4, Fixtures.images("u", 1, 4, 4), dir));
        AugmentView zoom = new AugmentView(4, 4, 8, 8, 4, 0, false, 4);
        Fixtures.Step s1 = step(twoClass(1, 4, 4, (x, y) -> 0.25f), new Shape(1, 2, 4, 4), List.of("u_0"), List.of(zoom), 0);
        t.compute(s1);
        for (int sy = 0; sy < 4; sy++) {
            for (int sx = 0; sx < 4; sx++) {
                boolean covered = sx >= 2 && sy <= 1;
                assertEquals(covered ? 1 - ALPHA : 0.0, classSum(t, 0, sy * 4 + sx), 5e-4, "cell " + sx + "," + sy);
            }
        }
    }

    @Test
    void aCoarserDecoderGridStoresAtThatGrid(@TempDir Path dir) {
        TemporalEnsemblingTerm t = new TemporalEnsemblingTerm(Fixtures.params(ALPHA, 30, true, 0.5),
                Fixtures.context(2, 20, 4, Fixtures.images("u", 1, 8, 8), dir));
        // 8 px crop, 2x2 logits: storage 2x2; the flipped grid cell (0, 1) holds what storage cell (1, 1) gets
        float[] p = twoClass(1, 2, 2, (x, y) -> x == 0 && y == 1 ? 0.9f : 0.2f);
        t.compute(step(p, new Shape(1, 2, 2, 2), List.of("u_0"), List.of(new AugmentView(8, 8, 8, 8, 0, 0, true, 8)), 0));
        assertEquals(2, t.memory().layout().height());
        assertEquals(2, t.memory().layout().width());
        assertEquals(0.9f, target(t, 0, 3)[0], 1e-3f);
        assertEquals(0.2f, target(t, 0, 2)[0], 1e-3f);
        assertEquals(2L * 2 * 2 * 2, t.memory().layout().recordBytes(), "2 classes x 2 x 2 halves of 2 bytes");
    }

    @Test
    void anImageTwiceInOneBatchReadsBeforeEitherUpdate(@TempDir Path dir) {
        TemporalEnsemblingTerm t = term(dir, Fixtures.images("u", 2, 1, 1), 30, true);
        float[] p = {0.2f, 0.3f, 0.5f, 0.2f, 0.3f, 0.5f};
        Fixtures.Step s1 = step(p, new Shape(2, 3, 1, 1), List.of("u_1", "u_1"),
                List.of(AugmentView.identity(1, 1), AugmentView.identity(1, 1)), 0);
        t.compute(s1);
        assertEquals(0.0, s1.logged.get("te_target_fraction"), "targets are read before the batch updates");
        assertEquals(1 - ALPHA * ALPHA, classSum(t, 1, 0), 1e-3, "two visits, two updates");
        assertEquals(0.0, classSum(t, 0, 0), "the other image is untouched");
    }

    @Test
    void lossAndGradientAgainstAHandComputation(@TempDir Path dir) {
        // 2 images of 2x2, 3 classes; w = wMax = 2 (no M/N factor, ramp complete at iteration 10 of 20 with rampUp 0.5)
        TemporalEnsemblingTerm t = term(dir, Fixtures.images("u", 2, 2, 2), 2.0, false);
        Shape s = new Shape(2, 3, 2, 2);
        List<String> ids = List.of("u_0", "u_1");
        List<AugmentView> views = List.of(AugmentView.identity(2, 2), AugmentView.identity(2, 2));
        Random r = new Random(11);
        float[] p1 = new float[24];
        for (int i = 0; i < 2; i++) {
            for (int g = 0; g < 4; g++) {
                float a = 0.1f + 0.8f * r.nextFloat();
                float b = (1 - a) * r.nextFloat();
                p1[(i * 3) * 4 + g] = a;
                p1[(i * 3 + 1) * 4 + g] = b;
                p1[(i * 3 + 2) * 4 + g] = 1 - a - b;
            }
        }
        Fixtures.Step first = step(p1, s, ids, views, 10);
        assertNull(t.compute(first), "no cell has a target yet");
        assertEquals(2.0, first.logged.get("w_te"), 1e-12);

        // the targets the term must use: p1 through one float16 update, renormalised
        float[] target = new float[24];
        for (int i = 0; i < 2; i++) {
            for (int g = 0; g < 4; g++) {
                double sum = 0;
                float[] z = new float[3];
                for (int c = 0; c < 3; c++) {
                    z[c] = Half.toFloat(Half.fromFloat((float) ((1 - ALPHA) * p1[(i * 3 + c) * 4 + g])));
                    sum += z[c];
                }
                for (int c = 0; c < 3; c++) {
                    target[(i * 3 + c) * 4 + g] = (float) (z[c] / sum);
                }
            }
        }
        float[] logits = new float[24];
        for (int k = 0; k < 24; k++) {
            logits[k] = (float) r.nextGaussian();
        }
        NDArray z2 = manager.create(logits, s);
        z2.setRequiresGradient(true);
        double[] soft = new double[24];
        for (int i = 0; i < 2; i++) {
            for (int g = 0; g < 4; g++) {
                double sum = 0;
                for (int c = 0; c < 3; c++) {
                    sum += Math.exp(logits[(i * 3 + c) * 4 + g]);
                }
                for (int c = 0; c < 3; c++) {
                    soft[(i * 3 + c) * 4 + g] = Math.exp(logits[(i * 3 + c) * 4 + g]) / sum;
                }
            }
        }
        double want = 0;
        for (int k = 0; k < 24; k++) {
            want += Math.pow(soft[k] - target[k], 2);
        }
        want = 2.0 * want / 24; // w * mean over 8 cells x 3 classes

        byte[] before;
        byte[] after;
        float[] grad;
        float value;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            Fixtures.Step second = new Fixtures.Step(manager, z2, ids, views, 10, 20);
            NDArray loss = t.compute(second);
            assertEquals(DataType.FLOAT32, loss.getDataType());
            assertEquals(1, loss.size());
            value = loss.getFloat();
            assertEquals(want / 2.0, second.logged.get("loss_te"), 1e-6, "logged unweighted");
            before = t.memory().records();
            gc.backward(loss);
            after = t.memory().records();
            grad = z2.getGradient().toFloatArray();
        }
        assertEquals(want, value, 1e-6, "w * mean (S - target)^2");
        assertArrayEquals(before, after, "backward leaves the memory alone");
        // dL/dS = 2 w (S - T) / 24, through the softmax: dL/dz_c = S_c (g_c - sum_j S_j g_j)
        for (int i = 0; i < 2; i++) {
            for (int g = 0; g < 4; g++) {
                double dot = 0;
                double[] gs = new double[3];
                for (int c = 0; c < 3; c++) {
                    int k = (i * 3 + c) * 4 + g;
                    gs[c] = 2 * 2.0 * (soft[k] - target[k]) / 24;
                    dot += soft[k] * gs[c];
                }
                for (int c = 0; c < 3; c++) {
                    int k = (i * 3 + c) * 4 + g;
                    assertEquals(soft[k] * (gs[c] - dot), grad[k], 1e-6, "gradient at " + k);
                }
            }
        }
    }

    @Test
    void weightIsZeroInTheFirstEpochThenRampsWithTheLabeledFraction(@TempDir Path dir) {
        // 20 unlabelled, 5 labelled: M / N = 5 / 25; 100 iterations, ramp over 40
        SampleList u = Fixtures.images("u", 20, 2, 2);
        TemporalEnsemblingTerm t = new TemporalEnsemblingTerm(Fixtures.params(ALPHA, 30, true, 0.4),
                Fixtures.context(3, 100, 5, u, dir));
        assertEquals(0.2, t.labeledFraction(), 1e-15);
        assertEquals(0.0, t.weightAt(0, 8));
        assertEquals(0.0, t.weightAt(2, 8), "16 of 20 images drawn: still the first epoch");
        assertEquals(30 * 0.2 * Math.exp(-5 * Math.pow(1 - 3 / 40.0, 2)), t.weightAt(3, 8), 1e-12);
        assertEquals(30 * 0.2 * Math.exp(-5 * 0.25), t.weightAt(20, 8), 1e-12, "half-way: e^-1.25");
        assertEquals(6.0, t.weightAt(40, 8), 1e-12, "w_max M / N at the end of the ramp");
        assertEquals(6.0, t.weightAt(99, 8), 1e-12);
        assertEquals(0.0, t.weightAt(19, 1), "batch 1: the first epoch is 20 steps");
        assertTrue(t.weightAt(20, 1) > 0);

        TemporalEnsemblingTerm unscaled = new TemporalEnsemblingTerm(Fixtures.params(ALPHA, 30, false, 0.4),
                Fixtures.context(3, 100, 5, u, dir.resolve("b")));
        assertEquals(30.0, unscaled.weightAt(40, 8), 1e-12);
        TemporalEnsemblingTerm noRamp = new TemporalEnsemblingTerm(Fixtures.params(ALPHA, 30, true, 0.0),
                Fixtures.context(3, 100, 5, u, dir.resolve("c")));
        assertEquals(6.0, noRamp.weightAt(3, 8), 1e-12, "rampUp 0: full weight right after the first epoch");
    }

    @Test
    void paramsAreValidated() {
        assertEquals(new TemporalEnsemblingParams(0.6, 30.0, true, 0.4, "unlabeled"), TemporalEnsemblingParams.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TemporalEnsemblingParams(1.0, 30, true, 0.4, "unlabeled"));
        assertTrue(e.getMessage().contains("alpha must be in [0, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TemporalEnsemblingParams(0.6, -1, true, 0.4, "unlabeled"));
        assertTrue(e.getMessage().contains("wMax"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TemporalEnsemblingParams(0.6, 30, true, 1.5, "unlabeled"));
        assertTrue(e.getMessage().contains("rampUp"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TemporalEnsemblingParams(0.6, 30, true, 0.4, "labeled"));
        assertTrue(e.getMessage().contains("split must be 'unlabeled' or 'weak'"), e.getMessage());
        assertEquals("weak", new TemporalEnsemblingParams(0.6, 30, true, 0.4, "weak").split());
    }

    @Test
    void refusedWithoutAWorkDir() {
        SslsegException e = assertThrows(SslsegException.class, () -> new TemporalEnsemblingTerm(
                TemporalEnsemblingParams.defaults(), Fixtures.context(3, 20, 4, Fixtures.images("u", 2, 2, 2), null)));
        assertTrue(e.getMessage().contains("run folder"), e.getMessage());
    }

    @Test
    void imagesOfDifferentSizesAreRefusedNamingBoth(@TempDir Path dir) {
        TemporalEnsemblingTerm t = term(dir, Fixtures.images("u", 3, 2, 2), 30, true);
        Fixtures.Step s = step(new float[] {0.2f, 0.3f, 0.5f}, new Shape(1, 3, 1, 1), List.of("u_2"),
                List.of(new AugmentView(3, 2, 3, 2, 0, 0, false, 3)), 0);
        SslsegException e = assertThrows(SslsegException.class, () -> t.compute(s));
        assertTrue(e.getMessage().contains("unlabeled split") && e.getMessage().contains("'u_0' is 2x2")
                && e.getMessage().contains("'u_2' is 3x2"), e.getMessage());
        Fixtures.Step unknown = step(new float[] {0.2f, 0.3f, 0.5f}, new Shape(1, 3, 1, 1), List.of("v_9"),
                List.of(AugmentView.identity(2, 2)), 0);
        e = assertThrows(SslsegException.class, () -> t.compute(unknown));
        assertTrue(e.getMessage().contains("'v_9'"), e.getMessage());
    }

    @Test
    void writesItsSizesOnce(@TempDir Path dir) throws Exception {
        TemporalEnsemblingTerm t = term(dir, Fixtures.images("u", 5, 2, 2), 30, true);
        t.compute(step(new float[] {0.2f, 0.3f, 0.5f}, new Shape(1, 3, 1, 1), List.of("u_0"),
                List.of(AugmentView.identity(2, 2)), 0));
        // a 1x1 grid on 2 px crops of 2x2 images: 1x1 storage, 3 halves per image
        String json = Files.readString(dir.resolve(TemporalEnsemblingTerm.INFO));
        assertTrue(json.contains("\"bytes_per_image\": 6") && json.contains("\"images\": 5")
                && json.contains("\"total_bytes\": 30"), json);
        assertEquals(PredictionMemory.HEADER_BYTES + 30, Files.size(dir.resolve(TemporalEnsemblingTerm.LIVE)));
    }
}
