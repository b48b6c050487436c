package io.sslseg.plugins.cct;

import io.sslseg.platform.testkit.DecoderContract;
import io.sslseg.platform.testkit.OnnxExportContract;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class CctContractTest {
    @TestFactory
    Stream<DynamicTest> everyRegisteredDecoderMeetsTheContract() {
        return DecoderContract.forAll(new CctModule());
    }

    @TestFactory
    Stream<DynamicTest> everyRegisteredDecoderExportsToOnnx() {
        return OnnxExportContract.forAll(new CctModule());
    }
}
