package io.sslseg.plugins.unet;

import io.sslseg.platform.testkit.DecoderContract;
import io.sslseg.platform.testkit.EncoderContract;
import io.sslseg.platform.testkit.OnnxExportContract;
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
