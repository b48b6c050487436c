package io.sslseg.plugins.seggan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.api.SslsegException;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs of the platform's loop with the seg-gan term. */
class SegGanRunTest {
    private static final String TERM = "loss.terms=[{type: seg-gan, advStart: 0.1, semiStart: 0.5}]";
    private static final List<String> KEYS = List.of("loss_sup", "loss_total", "loss_adv", "loss_semi_adv", "loss_semi",
            "semi_ratio", "loss_D", "lr_D", "miou");

    private static Map<String, Object> run(String... more) {
        String[] all = new String[more.length + 4];
        all[0] = "train.iterations=30";
        all[1] = "train.evalEvery=30";
        all[2] = "dataset.unlabeled=32";
        all[3] = TERM;
        System.arraycopy(more, 0, all, 4, more.length);
        return Fixtures.tinyRun(all);
    }

    private static double number(Map<?, ?> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /**
     * 30 steps: the adversarial part from step 4 (advStart 0.1), self-training from step 16 (semiStart 0.5); every
     * logged loss finite, loss_D logged from the first line, D's lr decaying, and the network still learns. A run
     * that crashes at iteration 25 and resumes from its step-20 checkpoint logs the same numbers: D, its Adam state
     * and the ground-truth draws are restored.
     */
    @Test
    void aShortRunStaysFiniteAndAResumedRunRepeatsIt(@TempDir Path tmp) throws IOException {
        Experiment straight = Experiment.resolve(run(), Fixtures.catalog(), tmp);
        RunFolder a = RunFolder.create(tmp.resolve("a"));
        TrainingRun.Result r = new TrainingRun(straight, a, Fixtures.QUIET).execute(false);
        assertEquals("completed", a.status());
        List<Map<?, ?>> ma = Fixtures.metrics(a);
        List<Map<?, ?>> train = ma.stream().filter(m -> m.containsKey("loss_total")).toList();
        assertEquals(6, train.size(), "a line every 5 steps");
        for (Map<?, ?> m : train) {
            for (String key : List.of("loss_sup", "loss_total", "loss_adv", "loss_semi_adv", "loss_D", "lr_D")) {
                assertTrue(m.containsKey(key), key + " in " + m);
                assertTrue(Double.isFinite(number(m, key)), key + " in " + m);
            }
            boolean semi = number(m, "step") - 1 >= 15;
            assertEquals(semi, m.containsKey("semi_ratio"), "self-training from iteration 15: " + m);
            assertTrue(number(m, "loss_D") > 0.05 && number(m, "loss_D") < 2, "loss_D " + m);
        }
        assertTrue(number(train.get(5), "lr_D") < number(train.get(0), "lr_D"), "D's poly schedule");
        assertTrue(number(train.get(5), "loss_sup") < 0.7 * number(train.get(0), "loss_sup"), "the network learns");
        assertTrue(r.finalMiou() > 0.3, "mIoU " + r.finalMiou());

        Experiment crashing = Experiment.resolve(run("loss.supervised.type=crash-at", "loss.supervised.atIteration=25"),
                Fixtures.catalog(), tmp);
        RunFolder b = RunFolder.create(tmp.resolve("b"));
        b.writeConfig(crashing.resolvedYaml());
        assertThrows(SslsegException.class, () -> new TrainingRun(crashing, b, Fixtures.QUIET).execute(false));
        Map<String, Object> tree = ConfigTree.fromYaml(b.readConfig());
        @SuppressWarnings("unchecked")
        Map<String, Object> loss = new LinkedHashMap<>((Map<String, Object>) tree.get("loss"));
        loss.put("supervised", Map.of("type", "ce"));
        tree.put("loss", loss);
        new TrainingRun(Experiment.resolve(tree, Fixtures.catalog(), tmp), RunFolder.open(b.dir()), Fixtures.QUIET)
                .execute(true);
        List<Map<?, ?>> mb = Fixtures.metrics(b);
        assertEquals(ma.size(), mb.size(), "no metrics line lost or repeated");
        for (int i = 0; i < ma.size(); i++) {
            assertEquals(ma.get(i).get("step"), mb.get(i).get("step"));
            for (String key : KEYS) {
                assertEquals(ma.get(i).containsKey(key), mb.get(i).containsKey(key), key + " at line " + i);
                if (ma.get(i).containsKey(key)) {
                    double x = number(ma.get(i), key);
                    double y = number(mb.get(i), key);
                    assertEquals(x, y, 1e-5 * Math.max(1, Math.abs(x)), key + " at line " + i);
                }
            }
        }
        assertFalse(mb.isEmpty());
    }
}
