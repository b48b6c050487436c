package io.sslseg.plugins.fixmatch;

import io.sslseg.plugins.augment.AugmentationsModule;
import io.sslseg.testkit.LossTermContract;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class FixMatchContractTest {
    /** Threshold 0: every pixel trains, so the term's gradient is never empty on an untrained tiny model. */
    @TestFactory
    Stream<DynamicTest> studentPseudoLabels() {
        return LossTermContract.check("{type: fixmatch, threshold: 0.0}", new FixMatchModule(), new AugmentationsModule());
    }

    @TestFactory
    Stream<DynamicTest> emaTeacherPseudoLabels() {
        return LossTermContract.check("{type: fixmatch, threshold: 0.0, emaDecay: 0.9}", new FixMatchModule(),
                new AugmentationsModule());
    }
}
