package org.example.sslseg;

import io.sslseg.testkit.EncoderContract;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The same contract every built-in encoder passes: stage shapes and strides, no NaN, gradients everywhere. */
class ExampleContractTest {
    @TestFactory
    Stream<DynamicTest> everyRegisteredEncoderMeetsTheContract() {
        return EncoderContract.forAll(new ExampleModule());
    }
}
