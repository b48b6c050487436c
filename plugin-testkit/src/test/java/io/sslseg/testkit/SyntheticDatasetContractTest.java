package io.sslseg.testkit;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The kit's own synthetic dataset, which the other contracts train on, meets the dataset contract. */
class SyntheticDatasetContractTest {
    @TestFactory
    Stream<DynamicTest> syntheticScenesMeetTheDatasetContract() {
        return DatasetContract.check("{type: synthetic, unlabeled: 12, weak: 12}");
    }
}
