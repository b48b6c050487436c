package io.sslseg.plugins.seggan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.sslseg.platform.train.Checkpoint;
import io.sslseg.platform.train.DataStreams;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.GroupedOptimizer;
import io.sslseg.platform.train.TrainingStep;
import io.sslseg.testkit.TestPlatform;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The discriminator, its Adam state and the collapse counter survive a checkpoint exactly. */
class SegGanStateTest {
    private static final String TERM = "loss.terms=[{type: seg-gan, semiStart: 0.0, collapseThreshold: 10.0,"
            + " collapseSteps: 1000}]";

    private static byte[] state(SegGanTerm term) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            term.saveState(out);
        }
        return bytes.toByteArray();
    }

    private static Map<Split, Batch> batches(BatchStream labeled, BatchStream unlabeled) {
        Map<Split, Batch> b = new EnumMap<>(Split.class);
        b.put(Split.LABELED, labeled.next());
        b.put(Split.UNLABELED, unlabeled.next());
        return b;
    }

    /**
     * Run A takes a step (D moves, Adam has moments, the collapse counter is 1: every loss is below 10); B, built
     * alike, is restored from A's checkpoint: its state is byte for byte A's, and one more identical step keeps
     * them identical, which needs the Adam moments and step count and D's gradient flags restored.
     */
    @Test
    void checkpointRoundTripRestoresDiscriminatorAndOptimizerExactly(@TempDir Path tmp) throws IOException {
        Experiment exp = Experiment.resolve(Fixtures.tinyRun(TERM), Fixtures.catalog(), tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                BatchStream labeled = DataStreams.labeled(exp, 0);
                BatchStream unlabeled = DataStreams.extra(exp, Split.UNLABELED, 0)) {
            Experiment.Built a = exp.build(root, Device.cpu());
            Experiment.Built b = exp.build(root, Device.cpu());
            SegGanTerm ga = (SegGanTerm) a.terms().get(0);
            SegGanTerm gb = (SegGanTerm) b.terms().get(0);
            assertTrue(Arrays.equals(state(ga), state(gb)), "built alike from the same seed");
            Map<Split, Batch> first = batches(labeled, unlabeled);
            TrainingStep stepA = TestPlatform.step(exp, a, root);
            stepA.run(first, 0.01, new TrainingClock(0, 60), 11);
            byte[] saved = state(ga);
            assertFalse(Arrays.equals(saved, state(gb)), "A has moved");
            assertTrue(ga.lowLossSteps() == 1);

            Path file = tmp.resolve("latest.ckpt");
            GroupedOptimizer optA = GroupedOptimizer.create(exp.config().train().optimizer(), root, a.parameters(),
                    a.net().encoderParameters());
            Checkpoint.save(file, a.blocks(), optA, a.terms(), new Checkpoint.State(1, -1, -1));
            GroupedOptimizer optB = GroupedOptimizer.create(exp.config().train().optimizer(), root, b.parameters(),
                    b.net().encoderParameters());
            Checkpoint.load(file, root, b.blocks(), optB, b.terms());
            assertArrayEquals(saved, state(gb), "D's parameters, Adam's moments and step count, the collapse counter");
            assertTrue(gb.lowLossSteps() == 1);

            // one more step on both, from the same batches: D must stay identical
            Map<Split, Batch> second = batches(labeled, unlabeled);
            try (NDManager sm = root.newSubManager()) {
                exp.step(a, a.terms(), optA, root)
                        .backward(sm, second, new TrainingClock(1, 60), 12);
            }
            try (NDManager sm = root.newSubManager()) {
                exp.step(b, b.terms(), optB, root)
                        .backward(sm, second, new TrainingClock(1, 60), 12);
            }
            assertTrue(Fixtures.same(Fixtures.values(ga.discriminator(), false), Fixtures.values(gb.discriminator(), false)),
                    "the restored D takes the same second step");
            assertArrayEquals(state(ga), state(gb));
        }
    }

    @Test
    void truncatedOrMismatchedStateNamesTheCheckpoint(@TempDir Path tmp) throws IOException {
        Experiment exp = Experiment.resolve(Fixtures.tinyRun(TERM), Fixtures.catalog(), tmp);
        Experiment narrow = Experiment.resolve(Fixtures.tinyRun("loss.terms=[{type: seg-gan, ndf: 16}]"),
                Fixtures.catalog(), tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SegGanTerm term = (SegGanTerm) exp.build(root, Device.cpu()).terms().get(0);
            byte[] saved = state(term);
            byte[] half = Arrays.copyOf(saved, saved.length / 2);
            IOException e = assertThrows(IOException.class,
                    () -> term.loadState(new DataInputStream(new ByteArrayInputStream(half)), "run/latest.ckpt"));
            assertTrue(e.getMessage().contains("run/latest.ckpt"), e.getMessage());

            SegGanTerm other = (SegGanTerm) narrow.build(root, Device.cpu()).terms().get(0);
            SslsegException m = assertThrows(SslsegException.class,
                    () -> other.loadState(new DataInputStream(new ByteArrayInputStream(saved)), "run/latest.ckpt"));
            assertTrue(m.getMessage().contains("run/latest.ckpt") && m.getMessage().contains("ndf"), m.getMessage());
        }
    }

    /** One warning per episode: when the count reaches collapseSteps, and again only after a healthy step. */
    @Test
    void collapseIsReportedOncePerEpisode(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(Fixtures.tinyRun("loss.terms=[{type: seg-gan, collapseSteps: 3}]"),
                Fixtures.catalog(), tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SegGanTerm term = (SegGanTerm) exp.build(root, Device.cpu()).terms().get(0);
            boolean[] warned = new boolean[9];
            double[] losses = {0.01, 0.01, 0.01, 0.01, 0.3, 0.01, 0.01, 0.049, 0.05};
            for (int i = 0; i < losses.length; i++) {
                warned[i] = term.watchCollapse(losses[i], i);
            }
            assertArrayEquals(new boolean[] {false, false, true, false, false, false, false, true, false}, warned);
            assertTrue(term.lowLossSteps() == 0, "0.05 is not below the threshold 0.05");
        }
    }
}
