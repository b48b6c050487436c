package io.sslseg.plugins.augment;

import io.sslseg.testkit.AugmentationContract;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class AugmentationsContractTest {
    @TestFactory
    Stream<DynamicTest> everyRegisteredAugmentationMeetsTheContract() {
        return AugmentationContract.forAll(new AugmentationsModule());
    }
}
