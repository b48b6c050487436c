package io.sslseg.plugins.cct;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.testkit.Golden;
import org.junit.jupiter.api.Test;

/** abCE against CCT's abCE_loss (golden file): the ramped threshold, values and gradients along training. */
class AbceLossGoldenTest {

    @Test
    void rampedThresholdValueAndGradientAlongTraining() {
        JsonNode golden = Golden.output("abCE_loss");
        JsonNode p = golden.get("params");
        int classes = p.get("num_classes").asInt();
        long perEpoch = p.get("iters_per_epoch").asLong();
        long total = p.get("epochs").asLong() * perEpoch;
        AbceLoss loss = new AbceLoss(AbceLoss.Params.DEFAULTS, classes);
        for (JsonNode row : golden.get("rows")) {
            String what = "abCE_loss epoch " + row.get("epoch") + " iter " + row.get("curr_iter");
            TrainingClock clock = new TrainingClock(row.get("epoch").asLong() * perEpoch + row.get("curr_iter").asLong(), total);
            double threshold = row.get("threshold").asDouble();
            assertEquals(threshold, loss.threshold(clock), 1e-12, what + " threshold");
            check(loss, clock, row, what);
        }
    }

    @Test
    void fixedThreshold() {
        AbceLoss.Params fixed = new AbceLoss.Params("none", 0, 0.9, 0.4, 1, 0.7);
        check(new AbceLoss(fixed, 5), new TrainingClock(0, 50), Golden.output("abCE_loss_fixed_thresh0.7"),
                "abCE_loss_fixed_thresh0.7");
    }

    private static void check(AbceLoss loss, TrainingClock clock, JsonNode expected, String what) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = Golden.array(m, Golden.input("logits"));
            NDArray labels = Golden.array(m, Golden.input("labels")).toType(DataType.INT64, false);
            logits.setRequiresGradient(true);
            float value;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray l = loss.compute(logits, labels, clock);
                value = l.getFloat();
                gc.backward(l);
            }
            GoldenChecks.value(expected.get("value").asDouble(), value, what);
            GoldenChecks.array(Golden.flatten(expected.get("grad")), logits.getGradient().toFloatArray(), what);
        }
    }

    @Test
    void allIgnoredGivesZeroNotNaN() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = m.randomNormal(new Shape(2, 3, 2, 2));
            NDArray labels = m.full(new Shape(2, 2, 2), 255).toType(DataType.INT64, false);
            assertEquals(0f, new AbceLoss(AbceLoss.Params.DEFAULTS, 3).compute(logits, labels, new TrainingClock(0, 10)).getFloat());
        }
    }

    @Test
    void atLeastMinKeptPixelsPerImageCountEvenWhenAllAreEasy() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // every pixel is easy (p_gt above the threshold 1/C): only the min-kept floor keeps pixels
            float[] l = new float[2 * 2 * 3];
            for (int n = 0; n < 2; n++) {
                for (int i = 0; i < 3; i++) {
                    l[n * 6 + i] = 3 + i; // class 0 logit (class 1: 0): p_gt 0.95, 0.98, 0.99, all above 1/C
                }
            }
            NDArray logits = m.create(l, new Shape(2, 2, 1, 3));
            NDArray labels = m.zeros(new Shape(2, 1, 3), DataType.INT64);
            NDArray nll = logits.logSoftmax(1).get(":, 0").neg().flatten();
            float[] sorted = nll.toFloatArray();
            java.util.Arrays.sort(sorted);
            // minKept 1 x N = 2: the floor is the 3rd smallest p_gt, so the 2 hardest pixels (largest CE) count
            float expected = (sorted[5] + sorted[4]) / 2;
            float actual = new AbceLoss(AbceLoss.Params.DEFAULTS, 2).compute(logits, labels, new TrainingClock(0, 10)).getFloat();
            assertEquals(expected, actual, 1e-6f * expected);
        }
    }
}
