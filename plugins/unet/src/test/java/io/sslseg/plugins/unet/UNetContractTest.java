package io.sslseg.plugins.unet;

import io.sslseg.testkit.DecoderContract;
import io.sslseg.testkit.EncoderContract;
import io.sslseg.testkit.OnnxExportContract;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class UNetContractTest {
    @TestFactory
    Stream<DynamicTest> everyRegisteredEncoderMeetsTheContract() {
        return EncoderContract.forAll(new UNetModule());
    }

    @TestFactory
    Stream<DynamicTest> everyRegisteredDecoderMeetsTheContract() {
        return DecoderContract.forAll(new UNetModule());
    }

    @TestFactory
    Stream<DynamicTest> everyRegisteredComponentExportsToOnnx() {
        return OnnxExportContract.forAll(new UNetModule());
    }
}
