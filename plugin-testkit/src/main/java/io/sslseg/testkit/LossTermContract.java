package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.google.inject.Module;
import io.sslseg.api.data.Split;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.platform.data.Batch;
import io.sslseg.platform.data.BatchStream;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.train.Checkpoint;
import io.sslseg.platform.train.DataStreams;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.TrainingStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The loss-term contract, for a term as a config names it, trained inside the real platform on the tiny synthetic run
 * (with 16 unlabelled images):
 * <ul>
 *   <li>{@code gradientsReachOnlyTheStudent}: with the supervised loss at zero, one backward pass of the term alone
 *       puts gradients on the network's encoder and decoder, and none on the EMA teacher, whose values it leaves as
 *       they were;</li>
 *   <li>{@code sameSeedSameStep}: two runs built from the same config take identical steps (logged values and every
 *       gradient) on the same batches and step seed;</li>
 *   <li>{@code stateRoundTrips}: a model trained 3 steps, saved as a run checkpoint and loaded into a fresh build
 *       takes the same 4th step, bit for bit: network, the terms' blocks and state, teacher and optimizer.</li>
 * </ul>
 *
 * <pre>{@code @TestFactory Stream<DynamicTest> contract() {
 *     return LossTermContract.check("{type: my-term}", new MyModule());
 * }}</pre>
 */
public final class LossTermContract {
    private LossTermContract() {}

    /**
     * @param term the term's config block, in YAML flow style ({@code {type: fixmatch, threshold: 0.5}})
     * @param modules the plugins' modules it needs (its own, and any whose components it names)
     */
    public static Stream<DynamicTest> check(String term, Module... modules) {
        return check(TestPlatform.catalog(modules), term);
    }

    /** The same, for a term in a catalog already loaded (a plugin jar's, as {@link PluginContract} loads it). */
    public static Stream<DynamicTest> check(ComponentCatalog catalog, String term) {
        List<String> sets = List.of("dataset.unlabeled=16", "loss.terms=[" + term + "]");
        return Stream.of(
                DynamicTest.dynamicTest(term + " gradientsReachOnlyTheStudent", () -> gradients(catalog, sets)),
                DynamicTest.dynamicTest(term + " sameSeedSameStep", () -> sameStep(catalog, sets)),
                DynamicTest.dynamicTest(term + " stateRoundTrips", () -> roundTrip(catalog, sets)));
    }

    private static Experiment experiment(ComponentCatalog catalog, List<String> sets, String... more) {
        List<String> all = new ArrayList<>(sets);
        all.addAll(List.of(more));
        return TestPlatform.experiment(catalog, all.toArray(String[]::new));
    }

    private static void gradients(ComponentCatalog catalog, List<String> sets) {
        Experiment exp = experiment(catalog, sets, "loss.supervised.type=zero");
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Experiment.Training t = exp.training(root, Device.cpu(), tempDir());
            Map<Split, Batch> batches = batches(exp, 0);
            float[] teacherBefore = t.model().teacher() == null ? null : values(t.model().teacher().net());
            try (NDManager sm = root.newSubManager()) {
                Map<String, Double> logged = t.step().backward(sm, batches, lastStep(exp), 7);
                assertTrue(logged.get("loss_total") > 0, "the term adds nothing at the end of training: " + logged);
            }
            assertTrue(TestPlatform.gradientNorm(t.model().net().encoder()) > 0, "no gradient on the encoder");
            assertTrue(TestPlatform.gradientNorm(t.model().net().decoder()) > 0, "no gradient on the decoder");
            if (t.model().teacher() != null) {
                for (Parameter p : t.model().teacher().net().getParameters().values()) {
                    assertFalse(p.requiresGradient(), "teacher parameter " + p.getName() + " is trainable");
                    assertFalse(p.getArray().hasGradient(), "teacher parameter " + p.getName() + " has a gradient");
                }
                assertArrayEquals(teacherBefore, values(t.model().teacher().net()), "backward changed the teacher");
            }
        }
    }

    private static void sameStep(ComponentCatalog catalog, List<String> sets) {
        Experiment exp = experiment(catalog, sets);
        Map<String, Double> first;
        float[] firstGradients;
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                NDManager sm = root.newSubManager()) {
            Experiment.Training t = exp.training(root, Device.cpu(), tempDir());
            first = t.step().backward(sm, batches(exp, 0), lastStep(exp), 11);
            firstGradients = gradients(t.model().net());
        }
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                NDManager sm = root.newSubManager()) {
            Experiment.Training t = exp.training(root, Device.cpu(), tempDir());
            assertEquals(first, t.step().backward(sm, batches(exp, 0), lastStep(exp), 11), "logged values differ");
            assertArrayEquals(firstGradients, gradients(t.model().net()), "gradients differ");
        }
    }

    private static void roundTrip(ComponentCatalog catalog, List<String> sets) {
        Experiment exp = experiment(catalog, sets);
        Path file = tempDir().resolve("latest.ckpt");
        long total = exp.config().train().iterations();
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Experiment.Training a = exp.training(root, Device.cpu(), tempDir());
            for (int i = 0; i < 3; i++) {
                a.step().run(batches(exp, i), 0.01, new TrainingClock(total - 4 + i, total), i);
            }
            Checkpoint.save(file, a.model().blocks(), a.optimizer(), a.model().terms(), new Checkpoint.State(3, -1, -1));
            Experiment.Training b = exp.training(root, Device.cpu(), tempDir());
            Checkpoint.load(file, root, b.model().blocks(), b.optimizer(), b.model().terms());
            if (a.model().teacher() != null) {
                assertNotNull(b.model().teacher(), "the reloaded run has no teacher");
                assertArrayEquals(values(a.model().teacher().net()), values(b.model().teacher().net()),
                        "the teacher did not round-trip");
            }
            for (TrainingStep s : List.of(a.step(), b.step())) {
                s.run(batches(exp, 3), 0.01, new TrainingClock(total - 1, total), 3);
            }
            List<Block> ba = a.model().blocks();
            List<Block> bb = b.model().blocks();
            assertEquals(ba.size(), bb.size());
            for (int i = 0; i < ba.size(); i++) {
                assertArrayEquals(values(ba.get(i)), values(bb.get(i)), "block " + i + " differs after the resumed step");
            }
        }
    }

    /** The batches of step {@code step} of the run's own streams. */
    private static Map<Split, Batch> batches(Experiment exp, long step) {
        Map<Split, Batch> out = new EnumMap<>(Split.class);
        try (BatchStream l = DataStreams.labeled(exp, step); BatchStream u = DataStreams.extra(exp, Split.UNLABELED, step)) {
            out.put(Split.LABELED, l.next());
            out.put(Split.UNLABELED, u.next());
        }
        return out;
    }

    private static TrainingClock lastStep(Experiment exp) {
        long total = exp.config().train().iterations();
        return new TrainingClock(total - 1, total);
    }

    /** Every value of a block's parameters (running statistics included), in order. */
    public static float[] values(Block block) {
        List<float[]> parts = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            parts.add(p.getArray().toFloatArray());
        }
        return concat(parts);
    }

    private static float[] gradients(Block block) {
        List<float[]> parts = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                NDArray g = p.getArray().getGradient();
                parts.add(g.toFloatArray());
            }
        }
        return concat(parts);
    }

    /** The arrays one after another. */
    public static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        float[] out = new float[n];
        int at = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    private static Path tempDir() {
        return TestPlatform.tempDir("sslseg-contract-");
    }
}
