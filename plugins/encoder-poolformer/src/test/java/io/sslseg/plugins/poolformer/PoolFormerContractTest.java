package io.sslseg.plugins.poolformer;

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
 * The encoder contract over every registered size, read back from {@link PoolFormerModule} as the platform reads
 * it. Not {@code EncoderContract.forAll} at the defaults: the published sizes (12-73 M parameters, up to 48 blocks)
 * run at 1/8 of their widths and every size without drop path, as {@link StagedEncoderContract#forAllRegistered}
 * explains. {@code PoolFormerTest} checks the full-width parameter counts and drop path instead.
 */
class PoolFormerContractTest {
    @TestFactory
    Stream<DynamicTest> everyRegisteredSizeMeetsTheContract() {
        return StagedEncoderContract.forAllRegistered(new PoolFormerModule());
    }

    @TestFactory
    Stream<DynamicTest> everyRegisteredSizeExportsToOnnx() {
        return StagedEncoderContract.forAllRegisteredExport(new PoolFormerModule());
    }

    @Test
    void theFaithfulStrideFourStemAt64() {
        StagedParams xxs = PoolFormer.Size.XXS64.defaults;
        StagedParams p = new StagedParams(xxs.depths(), List.of(8, 16, 32, 64), 4, 0, 1e-5, null);
        Encoder encoder = PoolFormer.factory(PoolFormer.Size.XXS64).create(p, new EncoderContext(3));
        EncoderContract.check("xxs64 stem 4", encoder, EncoderContract.SIZE);
    }
}
