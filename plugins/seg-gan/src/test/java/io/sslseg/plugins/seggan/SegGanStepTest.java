package io.sslseg.plugins.seggan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.data.Split;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.api.method.LossTerm;
import io.sslseg.api.method.StepContext;
import io.sslseg.platform.data.Batch;
import io.sslseg.platform.data.BatchStream;
import io.sslseg.platform.train.DataStreams;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.GroupedOptimizer;
import io.sslseg.platform.train.TrainingStep;
import io.sslseg.testkit.TestPlatform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One training step of the platform with the seg-gan term: where gradients flow, in which order, what is logged. */
class SegGanStepTest {

    /** A term listed before seg-gan: its afterBackward sees the step right after the network's backward pass. */
    private static final class Probe implements LossTerm {
        Runnable afterNetworkBackward;

        @Override
        public Set<Split> splits() {
            return Set.of();
        }

        @Override
        public NDArray compute(StepContext context) {
            return null;
        }

        @Override
        public void afterBackward(StepContext context) {
            afterNetworkBackward.run();
        }
    }

    private static TrainingStep step(Experiment exp, Experiment.Built model, List<LossTerm> terms, NDManager root) {
        GroupedOptimizer opt = GroupedOptimizer.create(exp.config().train().optimizer(), root, model.parameters(),
                model.net().encoderParameters());
        return exp.step(model, terms, opt, root);
    }

    /**
     * The supervised loss is 0, so every gradient the network gets comes through the frozen discriminator. In
     * the G part D gets exactly none and the network some; in the D part (afterBackward) D gets some and the
     * network's stay exactly as they were; D's update leaves them alone too.
     */
    @Test
    void generatorPartReachesTheNetworkOnlyAndTheDiscriminatorPartTheDiscriminatorOnly(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(Fixtures.tinyRun("loss.supervised.type=zero",
                "loss.terms=[{type: seg-gan, lambdaAdv: 1.0, lambdaSemiAdv: 1.0, semiStart: 0.0}]"),
                Fixtures.catalog(), tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                BatchStream labeled = DataStreams.labeled(exp, 0);
                BatchStream unlabeled = DataStreams.extra(exp, Split.UNLABELED, 0)) {
            Experiment.Built model = exp.build(root, Device.cpu());
            assertEquals(Set.of(Split.UNLABELED), exp.extraSplits(model.terms()));
            SegGanTerm gan = (SegGanTerm) model.terms().get(0);
            assertTrue(gan.blocks().isEmpty(), "D must not be handed to the network's optimizer");
            FcDiscriminator d = gan.discriminator();
            List<float[]> dBefore = Fixtures.values(d, false);

            double[] gPart = new double[2];
            double[] dPart = new double[1];
            List<List<float[]>> netGrads = new ArrayList<>();
            Probe probe = new Probe();
            probe.afterNetworkBackward = () -> {
                gPart[0] = TestPlatform.gradientNorm(d);
                gPart[1] = TestPlatform.gradientNorm(model.net());
                netGrads.add(Fixtures.values(model.net(), true));
            };
            gan.beforeDiscriminatorUpdate = () -> {
                dPart[0] = TestPlatform.gradientNorm(d);
                netGrads.add(Fixtures.values(model.net(), true));
                assertTrue(Fixtures.same(dBefore, Fixtures.values(d, false)), "D is updated only after its backward");
            };
            Map<Split, Batch> batches = new EnumMap<>(Split.class);
            batches.put(Split.LABELED, labeled.next());
            batches.put(Split.UNLABELED, unlabeled.next());
            Map<String, Double> logged;
            try (NDManager sm = root.newSubManager()) {
                logged = step(exp, model, List.of(probe, gan), root).backward(sm, batches, new TrainingClock(0, 60), 5);
            }
            assertEquals(0.0, gPart[0], 0.0, "D gets no gradient from the network's loss");
            assertTrue(gPart[1] > 0, "the adversarial gradient reaches the network through the frozen D");
            assertTrue(dPart[0] > 0, "D's own loss reaches D");
            assertEquals(2, netGrads.size(), "the probe ran before D's step, the hook inside it");
            assertTrue(Fixtures.same(netGrads.get(0), netGrads.get(1)), "D's backward leaves the network's gradients");
            assertTrue(Fixtures.same(netGrads.get(0), Fixtures.values(model.net(), true)),
                    "D's update leaves the network's gradients");
            assertFalse(Fixtures.same(dBefore, Fixtures.values(d, false)), "D took its Adam step");
            assertEquals(0.0, TestPlatform.gradientNorm(d), 0.0, "D's updater zeroed its gradients");

            for (String key : List.of("loss_adv", "loss_semi_adv", "loss_semi", "semi_ratio", "loss_D", "lr_D")) {
                assertNotNull(logged.get(key), key + " is logged: " + logged);
                assertTrue(Double.isFinite(logged.get(key)), key + " " + logged.get(key));
            }
            // at iteration 0 of 60, D's lr is dLr
            assertEquals(1e-4, logged.get("lr_D"), 1e-12);
            // the total is the three summands (the supervised loss is 0)
            assertEquals(logged.get("loss_adv") + logged.get("loss_semi_adv") + 0.1 * logged.get("loss_semi"),
                    logged.get("loss_total"), 1e-5);
            // an untrained D says about 0.5 everywhere: BCE near log 2, every pixel above maskT 0.2
            assertEquals(Math.log(2), logged.get("loss_D"), 0.2);
            assertTrue(logged.get("semi_ratio") > 0.9, "semi ratio " + logged.get("semi_ratio"));
            assertEquals(0.5 * (logged.get("loss_D_fake") + logged.get("loss_D_real")), logged.get("loss_D"), 1e-6);
        }
    }

    /** Before advStart the term adds nothing, D neither trains nor gets gradients, and its poly lr decays. */
    @Test
    void beforeAdvStartNothingHappens(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(Fixtures.tinyRun("loss.terms=[{type: seg-gan, advStart: 0.5, semiStart: 0.5}]"),
                Fixtures.catalog(), tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                BatchStream labeled = DataStreams.labeled(exp, 0);
                BatchStream unlabeled = DataStreams.extra(exp, Split.UNLABELED, 0)) {
            Experiment.Built model = exp.build(root, Device.cpu());
            SegGanTerm gan = (SegGanTerm) model.terms().get(0);
            List<float[]> dBefore = Fixtures.values(gan.discriminator(), false);
            Map<Split, Batch> batches = new EnumMap<>(Split.class);
            batches.put(Split.LABELED, labeled.next());
            batches.put(Split.UNLABELED, unlabeled.next());
            Map<String, Double> logged;
            try (NDManager sm = root.newSubManager()) {
                logged = TestPlatform.step(exp, model, root).backward(sm, batches, new TrainingClock(29, 60), 5);
            }
            assertEquals(logged.get("loss_sup"), logged.get("loss_total"), 0.0);
            assertNull(logged.get("loss_D"));
            assertNull(logged.get("loss_adv"));
            assertTrue(Fixtures.same(dBefore, Fixtures.values(gan.discriminator(), false)));
            assertEquals(0.0, TestPlatform.gradientNorm(gan.discriminator()), 0.0);

            assertFalse(gan.adversarialAt(29));
            assertTrue(gan.adversarialAt(30));
            assertFalse(gan.selfTrainingAt(29));
            assertTrue(gan.selfTrainingAt(30));
            assertEquals(1e-4 * Math.pow(0.5, 0.9), gan.discriminatorLr(new TrainingClock(30, 60)), 1e-15);
            assertEquals(0.0, gan.discriminatorLr(new TrainingClock(60, 60)), 0.0);
        }
    }

    /**
     * "+WSL" on the weak split: with the adversarial and self-training weights at 0 and the supervised loss 0, the
     * step's total is exactly weakWeight * CE(P_w, pseudo-labels), and D still trains on the weak predictions.
     */
    @Test
    void weakSplitAddsThePseudoLabelCrossEntropy(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(Fixtures.tinyRun("dataset.weak=16", "loss.supervised.type=zero",
                "loss.terms=[{type: seg-gan, split: weak, weakWeight: 0.5, lambdaAdv: 0.0, lambdaSemiAdv: 0.0,"
                        + " lambdaSemi: 0.0}]"), Fixtures.catalog(), tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                BatchStream labeled = DataStreams.labeled(exp, 0);
                // any masks serve as pseudo-labels here: the labelled scenes'
                BatchStream weak = DataStreams.extra(exp, Split.WEAK, exp.data().split(Split.LABELED), 0)) {
            Experiment.Built model = exp.build(root, Device.cpu());
            assertEquals(Set.of(Split.WEAK), exp.extraSplits(model.terms()));
            Map<Split, Batch> batches = new EnumMap<>(Split.class);
            batches.put(Split.LABELED, labeled.next());
            batches.put(Split.WEAK, weak.next());
            Map<String, Double> logged;
            try (NDManager sm = root.newSubManager()) {
                logged = TestPlatform.step(exp, model, root).backward(sm, batches, new TrainingClock(0, 60), 5);
            }
            double wsl = logged.get("loss_wsl");
            assertTrue(wsl > 0.1 && Double.isFinite(wsl), "an untrained network's CE on 3 classes: " + wsl);
            assertEquals(0.5 * wsl, logged.get("loss_total"), 1e-6);
            assertTrue(TestPlatform.gradientNorm(model.net()) > 0);
            assertTrue(Double.isFinite(logged.get("loss_D")), "D trains on the weak predictions as fakes");
            assertNull(logged.get("loss_adv"), "lambdaAdv 0 skips the labelled adversarial loss");
        }
    }

    /** The term keeps nothing per step in the model's manager: D's update works in scratch managers. */
    @Test
    void memoryStaysFlatOverSteps(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(Fixtures.tinyRun("loss.terms=[{type: seg-gan, semiStart: 0.0}]"),
                Fixtures.catalog(), tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                BatchStream labeled = DataStreams.labeled(exp, 0);
                BatchStream unlabeled = DataStreams.extra(exp, Split.UNLABELED, 0)) {
            Experiment.Built model = exp.build(root, Device.cpu());
            TrainingStep step = TestPlatform.step(exp, model, root);
            int afterWarmup = 0;
            for (int i = 0; i < 25; i++) {
                Map<Split, Batch> batches = new EnumMap<>(Split.class);
                batches.put(Split.LABELED, labeled.next());
                batches.put(Split.UNLABELED, unlabeled.next());
                step.run(batches, 0.01, new TrainingClock(i, 25), i);
                if (i == 4) {
                    afterWarmup = root.getManagedArrays().size();
                }
            }
            assertEquals(afterWarmup, root.getManagedArrays().size(), "arrays alive after 25 steps vs after 5");
        }
    }
}
