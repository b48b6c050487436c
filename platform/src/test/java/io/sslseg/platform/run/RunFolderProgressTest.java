package io.sslseg.platform.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress a waiting launcher prints for a running cell, and the metrics a report reads. */
class RunFolderProgressTest {
    @Test
    void theLastWholeMetricsLineAndTheConfigsIterations(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(RunFolder.CONFIG), "seed: 1\ntrain:\n  iterations: 60\n");
        RunFolder run = RunFolder.open(dir);
        assertEquals("starting", run.progress());

        Files.writeString(dir.resolve(RunFolder.METRICS), "{\"step\":5,\"loss_sup\":1.2}\n{\"step\":10,\"miou\":0.2}\n"
                + "{\"step\":15,\"lo"); // the last line still being written
        assertEquals("step 10 of 60", run.progress());

        StringBuilder many = new StringBuilder();
        for (int step = 1; step <= 2000; step++) {
            many.append("{\"step\":").append(step).append(",\"loss_sup\":0.5}\n");
        }
        Files.writeString(dir.resolve(RunFolder.METRICS), many); // longer than the tail read
        assertEquals("step 2000 of 60", run.progress());

        Files.writeString(dir.resolve(RunFolder.CONFIG), "seed: [1\n"); // unreadable config: the step alone
        assertEquals("step 2000", run.progress());
    }

    @Test
    void metricsReadBackWithoutALineBeingWrittenAndNamingADamagedOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(RunFolder.METRICS), "{\"step\":5}\n{\"step\":10,\"miou\":0.2}\n{\"step\":15,\"lo");
        assertEquals(2, RunFolder.readMetrics(dir).size(), "the line being written is left out");

        Files.writeString(dir.resolve(RunFolder.METRICS), "{\"step\":5}\n{\"st\n{\"step\":15}\n");
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> RunFolder.readMetrics(dir));
        assertTrue(e.getMessage().contains("metrics.jsonl: line 2 is not JSON"), e.getMessage());
    }
}
