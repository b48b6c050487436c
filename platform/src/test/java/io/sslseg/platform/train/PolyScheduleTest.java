package io.sslseg.platform.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sslseg.testkit.Golden;
import org.junit.jupiter.api.Test;

/** The poly schedule against the reference scheduler's learning rates, both parameter groups. */
class PolyScheduleTest {
    @Test
    void matchesReference() {
        JsonNode g = Golden.output("poly_lr");
        int perEpoch = g.get("iters_per_epoch").asInt();
        PolySchedule poly = new PolySchedule((long) g.get("num_epochs").asInt() * perEpoch, g.get("power").asDouble());
        int t = 0;
        for (JsonNode row : g.get("rows")) {
            for (int group = 0; group < 2; group++) {
                double base = g.get("base_lrs").get(group).asDouble();
                double expected = row.get("lr_used").get(group).asDouble();
                assertEquals(expected, base * poly.factor(t), 1e-9 * Math.max(expected, 1e-6), "iteration " + t);
            }
            t++;
        }
    }
}
