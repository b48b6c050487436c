package io.sslseg.plugins.poolformer;

import io.sslseg.api.Components;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.platform.testkit.EncoderContract;
import io.sslseg.platform.testkit.Registered;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The encoder contract over every registered size, read back from {@link PoolFormerModule} as the platform reads
 * it. Not {@code EncoderContract.forAll} at the defaults, for two reasons:
 * <ul>
 *   <li>the published sizes (12-73 M parameters, up to 48 blocks) are too slow on the 2-core CI machine, so they run
 *       at 1/8 of their widths (same depths, stems and strides); {@code PoolFormerTest} checks their full-width
 *       parameter counts instead;</li>
 *   <li>drop path is set to 0: with the contract's batch of 2, a block whose branch is dropped for both samples
 *       gets no gradient, which the contract would rightly report as a dead parameter (at the defaults' rates of
 *       up to 0.4 over 48 blocks that is nearly certain). {@code PoolFormerTest} covers drop path.</li>
 * </ul>
 */
class PoolFormerContractTest {
    @TestFactory
    Stream<DynamicTest> everyRegisteredSizeMeetsTheContract() {
        return Registered.components(new PoolFormerModule(), Components.ENCODER).keySet().stream().sorted()
                .map(name -> DynamicTest.dynamicTest(name, () -> {
                    PoolFormer.Size size = Arrays.stream(PoolFormer.Size.values()).filter(s -> s.id.equals(name))
                            .findFirst().orElseThrow();
                    PoolFormerParams p = size.defaults.withDropPath(0);
                    if (size.published()) {
                        p = p.withWidths(p.widths().stream().map(w -> w / 8).toList());
                    }
                    check(name, p);
                }));
    }

    @Test
    void theFaithfulStrideFourStemAt64() {
        PoolFormerParams xxs = PoolFormer.Size.XXS64.defaults;
        check("xxs64 stem 4", new PoolFormerParams(xxs.depths(), List.of(8, 16, 32, 64), 4, 0, 1e-5, null));
    }

    private static void check(String label, PoolFormerParams params) {
        EncoderFactory<PoolFormerParams> factory = PoolFormer.factory(PoolFormer.Size.XXS64);
        EncoderContract.check(label, factory.create(params, new EncoderContext(3)), EncoderContract.SIZE);
    }
}
