package io.sslseg.plugins.cct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.sslseg.api.ssl.Ramps.Ramp;
import io.sslseg.api.ssl.Ramps;
import io.sslseg.testkit.Golden;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ramp-ups and the consistency weight against CCT's ramps.py / consistency_weight (golden file). */
class RampsGoldenTest {
    private static final Map<String, Ramp> REFERENCE_NAMES = Map.of("sigmoid_rampup", Ramp.SIGMOID,
            "linear_rampup", Ramp.LINEAR, "cosine_rampup", Ramp.COSINE, "log_rampup", Ramp.LOG, "exp_rampup", Ramp.EXP);
    /** Both sides compute in double; only exp/cos may differ in the last ulp. */
    private static final double TIGHT = 1e-12;

    @Test
    void everyRampMatchesTheReferenceAtLength10() {
        Golden.output("ramps_len10").fields().forEachRemaining(e -> {
            Ramp ramp = REFERENCE_NAMES.get(e.getKey());
            for (JsonNode row : e.getValue()) {
                double expected = row.get("value").asDouble();
                double actual = ramp.at(row.get("current").asDouble(), 10);
                assertEquals(expected, actual, TIGHT * Math.max(1, Math.abs(expected)), e.getKey() + " at " + row.get("current"));
            }
        });
    }

    @Test
    void lengthZeroGivesOneAsInTheReference() {
        Golden.output("ramps_len0").fields().forEachRemaining(e ->
                assertEquals(e.getValue().asDouble(), REFERENCE_NAMES.get(e.getKey()).at(5, 0), e.getKey()));
        assertEquals(1.0, Ramps.linear(0, 0), "linear's early return covers length 0 too");
    }

    @Test
    void consistencyWeightMatchesTheReferenceInIterations() {
        for (JsonNode schedule : Golden.output("consistency_weight")) {
            JsonNode c = schedule.get("config");
            long perEpoch = c.get("iters_per_epoch").asLong();
            Ramp ramp = REFERENCE_NAMES.get(schedule.get("ramp_type").asText());
            for (JsonNode row : schedule.get("rows")) {
                long iteration = row.get("epoch").asLong() * perEpoch + row.get("curr_iter").asLong();
                double actual = Ramps.consistencyWeight(c.get("final_w").asDouble(), ramp, iteration,
                        c.get("rampup_starts").asLong() * perEpoch, c.get("rampup_ends").asLong() * perEpoch);
                double expected = row.get("weight").asDouble();
                assertEquals(expected, actual, TIGHT * Math.max(1, expected), c + " " + row);
            }
        }
    }

    @Test
    void rampsAreNamedAsInConfigs() {
        assertEquals(Ramp.SIGMOID, Ramp.named("sigmoid"));
        assertEquals(Ramp.EXP, Ramp.named("EXP"));
        String message = assertThrows(IllegalArgumentException.class, () -> Ramp.named("sigmoid_rampup")).getMessage();
        assertEquals("unknown ramp 'sigmoid_rampup', expected one of [sigmoid, linear, cosine, log, exp]", message);
        assertThrows(IllegalArgumentException.class, () -> Ramps.consistencyWeight(30, Ramp.SIGMOID, 0, 10, 5));
    }
}
