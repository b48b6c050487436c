package io.sslseg.plugins.unimatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.SslsegException;
import io.sslseg.platform.train.Experiment;
import io.sslseg.plugins.augment.AugmentationsModule;
import io.sslseg.testkit.LossTermContract;
import io.sslseg.testkit.TestPlatform;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class UniMatchTermTest {
    @TestFactory
    Stream<DynamicTest> contractWithTheStudentsAndWithAnEmaTeachersPseudoLabels() {
        return Stream.concat(
                LossTermContract.check("{type: unimatch, threshold: 0.0}", new UniMatchModule(), new AugmentationsModule()),
                LossTermContract.check("{type: unimatch, threshold: 0.0, views: 1, emaDecay: 0.9}", new UniMatchModule(),
                        new AugmentationsModule()));
    }

    /** Dropout2d: whole channels of an image zeroed about {@code rate} of the time, the others scaled by 1/(1-rate). */
    @Test
    void channelDropoutDropsWholeChannelsAndRescalesTheRest() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray stage = m.ones(new Shape(50, 40, 2, 3));
            NDList out = UniMatchTerm.channelDropout(new NDList(stage, m.ones(new Shape(50, 8, 1, 1))), 0.5, 7);
            float[] v = out.get(0).toFloatArray();
            int zero = 0;
            for (int ch = 0; ch < 50 * 40; ch++) {
                float first = v[ch * 6];
                for (int k = 1; k < 6; k++) {
                    assertEquals(first, v[ch * 6 + k], "a channel is dropped or kept whole");
                }
                assertTrue(first == 0f || first == 2f, "kept channels are scaled by 2, got " + first);
                zero += first == 0f ? 1 : 0;
            }
            assertEquals(0.5, zero / 2000.0, 0.05);
            assertEquals(2, out.size(), "every stage is perturbed");
            NDList same = new NDList(stage);
            assertSame(same, UniMatchTerm.channelDropout(same, 0.0, 7), "rate 0 leaves the stages alone");
        }
    }

    @Test
    void badParametersNameTheirKey(@TempDir Path tmp) {
        var catalog = TestPlatform.catalog(new UniMatchModule(), new AugmentationsModule());
        for (String bad : new String[] {"views: 3", "featureDropout: 1.0", "threshold: -0.1", "emaDecay: 1.5"}) {
            SslsegException e = assertThrows(SslsegException.class, () -> Experiment.resolve(TestPlatform.tinyRun(
                    "dataset.unlabeled=16", "loss.terms=[{type: unimatch, " + bad + "}]"), catalog, tmp));
            String key = bad.substring(0, bad.indexOf(':'));
            assertTrue(e.getMessage().contains("loss.terms[0]") && e.getMessage().contains(key), e.getMessage());
        }
    }
}
