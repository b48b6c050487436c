package io.sslseg.plugins.resnet;

import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.platform.testkit.EncoderContract;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResNetContractTest {
    @TestFactory
    Stream<DynamicTest> everyRegisteredEncoderMeetsTheContract() {
        return EncoderContract.forAll(new ResNetModule());
    }

    /** The paths the defaults skip: deep stem, output stride 16 and 32, bottleneck blocks with dilation. */
    @ParameterizedTest(name = "{0} width 8, OS {1}, deep stem {2}")
    @CsvSource({"R18, 16, true", "R34, 32, false", "R50, 16, true"})
    void smallVariantsMeetTheContract(ResNet.Depth depth, int outputStride, boolean deepStem) {
        EncoderFactory<ResNetParams> factory = ResNet.factory(depth);
        Encoder encoder = factory.create(new ResNetParams(8, outputStride, deepStem, null), new EncoderContext(3));
        EncoderContract.check(depth + " variant", encoder, EncoderContract.SIZE);
    }
}
