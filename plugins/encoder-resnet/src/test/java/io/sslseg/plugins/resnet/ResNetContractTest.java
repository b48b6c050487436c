package io.sslseg.plugins.resnet;

import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.testkit.EncoderContract;
import io.sslseg.testkit.OnnxExportContract;
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

    /**
     * The paths the defaults skip: deep stem, output stride 16 and 32, bottleneck blocks with dilation. Width 16,
     * not 8: on this project's AVX-512 CPU, libtorch 2.7.1's oneDNN gave NaN gradients in about 3 % of backward
     * passes of the width-8 R18 (11 of 390 here; none of 150 at width 16, none of 240 with
     * ONEDNN_MAX_CPU_ISA=AVX2): a fault of its 8-channel kernels, which a training run survives by replaying the
     * step (README, run folders).
     */
    @ParameterizedTest(name = "{0} width 16, OS {1}, deep stem {2}")
    @CsvSource({"R18, 16, true", "R34, 32, false", "R50, 16, true"})
    void smallVariantsMeetTheContract(ResNet.Depth depth, int outputStride, boolean deepStem) {
        EncoderFactory<ResNetParams> factory = ResNet.factory(depth);
        Encoder encoder = factory.create(new ResNetParams(16, outputStride, deepStem, null), new EncoderContext(3));
        EncoderContract.check(depth + " variant", encoder, EncoderContract.SIZE);
    }

    /** The same variants exported to ONNX (the default widths would make files of up to 100 MB for this check). */
    @ParameterizedTest(name = "{0} width 16, OS {1}, deep stem {2}")
    @CsvSource({"R18, 16, true", "R34, 32, false", "R50, 8, false"})
    void smallVariantsExportToOnnx(ResNet.Depth depth, int outputStride, boolean deepStem) throws Exception {
        ResNetParams params = new ResNetParams(16, outputStride, deepStem, null);
        EncoderFactory<ResNetParams> small = EncoderFactory.of(ResNetParams.class, params, "small",
                (p, c) -> ResNet.factory(depth).create(p, c));
        OnnxExportContract.checkEncoder(depth + " variant", small);
    }
}
