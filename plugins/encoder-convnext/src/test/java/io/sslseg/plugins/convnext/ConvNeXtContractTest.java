package io.sslseg.plugins.convnext;

import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.api.nn.StagedParams;
import io.sslseg.testkit.EncoderContract;
import io.sslseg.testkit.StagedEncoderContract;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The encoder contract over every registered size, read back from {@link ConvNeXtModule} as the platform reads it.
 * Not {@code EncoderContract.forAll} at the defaults: the published sizes (3.4-88 M parameters, up to 36 blocks)
 * run at 1/8 of their widths and every size without drop path, as {@link StagedEncoderContract#forAllRegistered}
 * explains. {@code ConvNeXtTest} checks the full-width parameter counts and drop path instead.
 */
class ConvNeXtContractTest {
    @TestFactory
    Stream<DynamicTest> everyRegisteredSizeMeetsTheContract() {
        return StagedEncoderContract.forAllRegistered(new ConvNeXtModule());
    }

    @TestFactory
    Stream<DynamicTest> everyRegisteredSizeExportsToOnnx() {
        return StagedEncoderContract.forAllRegisteredExport(new ConvNeXtModule());
    }

    @Test
    void theFaithfulStrideFourStemAt64() {
        StagedParams zepto = ConvNeXt.Size.ZEPTO64.defaults;
        StagedParams p = new StagedParams(zepto.depths(), List.of(8, 16, 32, 64), 4, 0, 1e-6, null);
        Encoder encoder = ConvNeXt.factory(ConvNeXt.Size.ZEPTO64).create(p, new EncoderContext(3));
        EncoderContract.check("zepto64 stem 4", encoder, EncoderContract.SIZE);
    }
}
