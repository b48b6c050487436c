package io.sslseg.fashionscenes;

import io.sslseg.testkit.DatasetContract;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The dataset contract on a small FashionScenes from the embedded item subset (every split present). */
class FashionScenesContractTest {
    @TestFactory
    Stream<DynamicTest> smallScenesMeetTheDatasetContract() {
        return DatasetContract.check("{type: fashion-scenes, train: 120, val: 24, labeled: 20, unlabeled: 60,"
                + " size: 64, source: embedded, weak: true}", new FashionScenesModule());
    }
}
