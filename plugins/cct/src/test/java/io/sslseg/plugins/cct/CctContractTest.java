package io.sslseg.plugins.cct;

import io.sslseg.testkit.ConsistencyLossContract;
import io.sslseg.testkit.DecoderContract;
import io.sslseg.testkit.OnnxExportContract;
import io.sslseg.testkit.PerturbationContract;
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

    @TestFactory
    Stream<DynamicTest> everyRegisteredPerturbationMeetsTheContract() {
        return PerturbationContract.forAll(new CctModule());
    }

    @TestFactory
    Stream<DynamicTest> everyRegisteredConsistencyLossMeetsTheContract() {
        return ConsistencyLossContract.forAll(new CctModule());
    }
}
