package io.sslseg.plugins.convnext;

import io.sslseg.api.Components;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.platform.testkit.EncoderContract;
import io.sslseg.platform.testkit.Registered;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The encoder contract over every registered size, read back from {@link ConvNeXtModule} as the platform reads it.
 * Not {@code EncoderContract.forAll} at the defaults, for two reasons:
 * <ul>
 *   <li>the published sizes (3.4-88 M parameters, up to 36 blocks) are too slow on the 2-core CI machine, so they
 *       run at 1/8 of their widths (same depths, stems and strides); {@code ConvNeXtTest} checks their full-width
 *       parameter counts instead;</li>
 *   <li>drop path is set to 0: with the contract's batch of 2, a block whose branch is dropped for both samples
 *       gets no gradient, which the contract would rightly report as a dead parameter (at the defaults' rates of
 *       up to 0.5 over 36 blocks that is nearly certain). {@code ConvNeXtTest} covers drop path.</li>
 * </ul>
 */
class ConvNeXtContractTest {
    @TestFactory
    Stream<DynamicTest> everyRegisteredSizeMeetsTheContract() {
        return Registered.components(new ConvNeXtModule(), Components.ENCODER).keySet().stream().sorted()
                .map(name -> DynamicTest.dynamicTest(name, () -> {
                    ConvNeXt.Size size = Arrays.stream(ConvNeXt.Size.values()).filter(s -> s.id.equals(name))
                            .findFirst().orElseThrow();
                    ConvNeXtParams p = size.defaults.withDropPath(0);
                    if (size.published()) {
                        p = p.withWidths(p.widths().stream().map(w -> w / 8).toList());
                    }
                    check(name, p);
                }));
    }

    @Test
    void theFaithfulStrideFourStemAt64() {
        ConvNeXtParams zepto = ConvNeXt.Size.ZEPTO64.defaults;
        check("zepto64 stem 4", new ConvNeXtParams(zepto.depths(), List.of(8, 16, 32, 64), 4, 0, 1e-6, null));
    }

    private static void check(String label, ConvNeXtParams params) {
        EncoderContract.check(label, ConvNeXt.factory(ConvNeXt.Size.ZEPTO64).create(params, new EncoderContext(3)),
                EncoderContract.SIZE);
    }
}
