package io.sslseg.platform.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.Split;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.api.method.EmaTeacher;
import io.sslseg.platform.config.ConfigException;
import io.sslseg.platform.data.BatchStream;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.testkit.LossTermContract;
import io.sslseg.testkit.TestPlatform;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The EMA teacher a loss term asks for: its update rule, its place in checkpoints, and {@code eval.model}. */
class TeacherTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final String PROBE = "loss.terms=[{type: teacher-probe, decay: 0.9}]";
    private static ComponentCatalog catalog;

    @BeforeAll
    static void platform() {
        catalog = TestPlatform.catalog();
    }

    @Test
    void rateWarmsUpToTheDecay() {
        EmaTeacher t = new EmaTeacher(0.9);
        assertEquals(0.5, t.rateAt(1), 1e-12);
        assertEquals(2.0 / 3, t.rateAt(2), 1e-12);
        assertEquals(0.9, t.rateAt(9), 1e-12);
        assertEquals(0.9, t.rateAt(1000), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new EmaTeacher(1.0));
        assertThrows(IllegalArgumentException.class, () -> new EmaTeacher(0.0));
    }

    /**
     * The teacher starts as the student, is frozen, and after one optimizer step (update 1, rate 0.5) every value
     * (running statistics included) is the mean of its start and the student's new value; the afterUpdate hook ran.
     */
    @Test
    void theTeacherIsAFrozenExponentialAverageOfTheStudent(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(TestPlatform.tinyRun(PROBE), catalog, tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                BatchStream data = DataStreams.labeled(exp, 0)) {
            Experiment.Training t = exp.training(root, Device.cpu(), null);
            TeacherNet teacher = t.model().teacher();
            float[] start = LossTermContract.values(t.model().net());
            assertArrayEquals(start, LossTermContract.values(teacher.net()), "the teacher starts as the student");
            for (Parameter p : teacher.net().getParameters().values()) {
                assertFalse(p.requiresGradient(), p.getName() + " of the teacher is trainable");
            }
            Map<String, Double> logged = t.step().run(Map.of(Split.LABELED, data.next()), 0.05, new TrainingClock(0, 60), 1);
            assertEquals(0.0, logged.get("after_update_calls"));
            float[] student = LossTermContract.values(t.model().net());
            float[] expected = new float[start.length];
            for (int i = 0; i < start.length; i++) {
                expected[i] = start[i] + 0.5f * (student[i] - start[i]);
            }
            assertFalse(java.util.Arrays.equals(start, student), "the student did not move");
            assertArrayEquals(expected, LossTermContract.values(teacher.net()), 1e-6f);
            logged = t.step().run(Map.of(Split.LABELED, data.next()), 0.05, new TrainingClock(1, 60), 2);
            assertEquals(1.0, logged.get("after_update_calls"), "afterUpdate ran after the first step");
        }
    }

    /**
     * With the supervised loss at zero, only what the probe returns can make gradients: the student's logits do, the
     * same logits computed without gradient and the teacher's do not.
     */
    @Test
    void neitherTheTeacherNorAWithoutGradientPassReachesTheStudentsParameters(@TempDir Path tmp) {
        for (String output : List.of("student", "student-without-gradient", "teacher")) {
            Experiment exp = Experiment.resolve(TestPlatform.tinyRun("loss.supervised.type=zero",
                    "loss.terms=[{type: teacher-probe, decay: 0.9, output: " + output + "}]"), catalog, tmp);
            try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                    BatchStream data = DataStreams.labeled(exp, 0);
                    NDManager sm = root.newSubManager()) {
                Experiment.Training t = exp.training(root, Device.cpu(), null);
                t.step().backward(sm, Map.of(Split.LABELED, data.next()), new TrainingClock(0, 60), 1);
                double norm = TestPlatform.gradientNorm(t.model().net());
                if (output.equals("student")) {
                    assertTrue(norm > 0, "the student's own logits must reach its parameters");
                } else {
                    assertEquals(0.0, norm, output + " reached the student's parameters");
                }
            }
        }
    }

    /**
     * The supervised loss runs the labelled batch once, moving the running statistics; a probe that runs it again
     * through {@code student()} moves them a second time, one through {@code studentKeepingStatistics()} does not (and
     * still gets a gradient).
     */
    @Test
    void studentKeepingStatisticsLeavesTheRunningAveragesWhereTheyWere(@TempDir Path tmp) {
        Map<String, float[]> after = new java.util.HashMap<>();
        for (String output : List.of("student", "student-keeping-statistics", "none")) {
            String term = output.equals("none") ? "loss.terms=[]"
                    : "loss.terms=[{type: teacher-probe, decay: 0.9, output: " + output + "}]";
            Experiment exp = Experiment.resolve(TestPlatform.tinyRun(term), catalog, tmp);
            try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                    BatchStream data = DataStreams.labeled(exp, 0);
                    NDManager sm = root.newSubManager()) {
                Experiment.Training t = exp.training(root, Device.cpu(), null);
                t.step().backward(sm, Map.of(Split.LABELED, data.next()), new TrainingClock(0, 60), 1);
                after.put(output, runningStatistics(t.model().net()));
                assertTrue(after.get(output).length > 0, "the tiny model has batch norm");
                if (!output.equals("none")) {
                    assertTrue(TestPlatform.gradientNorm(t.model().net()) > 0);
                }
            }
        }
        assertArrayEquals(after.get("none"), after.get("student-keeping-statistics"), "the kept statistics moved");
        assertFalse(java.util.Arrays.equals(after.get("none"), after.get("student")), "student() should move them");
    }

    private static float[] runningStatistics(SegmentationNet net) {
        List<float[]> parts = new java.util.ArrayList<>();
        for (Parameter p : net.getParameters().values()) {
            if (StatisticsKeepingStore.isRunningStatistic(p)) {
                parts.add(p.getArray().toFloatArray());
            }
        }
        return LossTermContract.concat(parts);
    }

    @Test
    void aRunWithoutTeacherHasNoneAndRefusesEvalModelTeacher(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(TestPlatform.tinyRun("eval.model=teacher"), catalog, tmp);
        ConfigException e = assertThrows(ConfigException.class, exp::checkBuild);
        assertTrue(e.getMessage().startsWith("eval.model: teacher") && e.getMessage().contains("loss.terms"), e.getMessage());
        Experiment plain = Experiment.resolve(TestPlatform.tinyRun("loss.terms=[{type: teacher-probe, decay: 0}]"),
                catalog, tmp);
        plain.checkBuild();
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Experiment.Built b = plain.build(root, Device.cpu());
            assertNull(b.teacher());
            assertEquals(b.net(), b.evaluated());
        }
        SslsegException bad = assertThrows(SslsegException.class,
                () -> Experiment.resolve(TestPlatform.tinyRun("eval.model=ema"), catalog, tmp));
        assertTrue(bad.getMessage().contains("eval") && bad.getMessage().contains("model must be student or teacher"),
                bad.getMessage());
    }

    /**
     * With {@code eval.model: teacher} validation scores the teacher and best.ckpt holds it; a run crashed at step 25
     * and resumed ends with the teacher of the run that never stopped, bit for bit.
     */
    @Test
    void teacherIsEvaluatedSavedAndResumedExactly(@TempDir Path tmp) {
        List<String> sets = List.of(PROBE, "eval.model=teacher", "train.iterations=30");
        Experiment straight = Experiment.resolve(TestPlatform.tinyRun(sets.toArray(String[]::new)), catalog, tmp);
        RunFolder a = RunFolder.create(tmp.resolve("a"));
        new TrainingRun(straight, a, QUIET).execute(false);

        Experiment crashing = Experiment.resolve(TestPlatform.tinyRun(PROBE, "eval.model=teacher", "train.iterations=30",
                "loss.supervised.type=crash-at", "loss.supervised.atIteration=25"), catalog, tmp);
        RunFolder b = RunFolder.create(tmp.resolve("b"));
        b.writeConfig(straight.resolvedYaml());
        assertThrows(SslsegException.class, () -> new TrainingRun(crashing, b, QUIET).execute(false));
        new TrainingRun(straight, RunFolder.open(b.dir()), QUIET).execute(true);

        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Experiment.Built ma = straight.build(root, Device.cpu());
            Experiment.Built mb = straight.build(root, Device.cpu());
            Checkpoint.load(a.checkpoints().resolve(Checkpoint.LATEST), root, ma.blocks(), null);
            Checkpoint.load(b.checkpoints().resolve(Checkpoint.LATEST), root, mb.blocks(), null);
            assertArrayEquals(LossTermContract.values(ma.teacher().net()), LossTermContract.values(mb.teacher().net()),
                    "the resumed run's teacher");
            assertArrayEquals(LossTermContract.values(ma.net()), LossTermContract.values(mb.net()), "the resumed student");
            assertFalse(java.util.Arrays.equals(LossTermContract.values(ma.net()),
                    LossTermContract.values(ma.teacher().net())), "teacher and student should differ after 30 steps");

            SegmentationNet best = straight.buildNet(root, Device.cpu());
            Checkpoint.State s = Checkpoint.load(a.checkpoints().resolve(Checkpoint.BEST), root, List.of(best), null);
            assertEquals(30, s.step(), "one evaluation (evalEvery 30), so the best is the last step");
            assertArrayEquals(LossTermContract.values(ma.teacher().net()), LossTermContract.values(best),
                    "best.ckpt holds the evaluated network: the teacher");
        }
    }
}
