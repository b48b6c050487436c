package io.sslseg.plugins.weak;

import io.sslseg.testkit.PseudoLabelerContract;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The pseudo-labeller contract on class activation maps, with a short classifier training. */
class CamContractTest {
    @TestFactory
    Stream<DynamicTest> camMeetsThePseudoLabelerContract() {
        return PseudoLabelerContract.check("{type: cam, encoder: {type: tiny-cnn}, iterations: 20, batchSize: 8,"
                + " lr: 0.01, scales: [1.0], inferenceBatchSize: 8}", new WeakLabelsModule());
    }
}
