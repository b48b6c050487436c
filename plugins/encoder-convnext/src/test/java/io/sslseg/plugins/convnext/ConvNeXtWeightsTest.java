package io.sslseg.plugins.convnext;

import io.sslseg.testkit.StagedEncoderContract;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class ConvNeXtWeightsTest {
    @TempDir
    Path dir;

    /**
     * The weights contract at its small configuration. The first width-dependent parameter is downsample4's 2x2 conv
     * weight (40 filters instead of 32; its LayerNorm is on the 24 channels of stage 3, which did not change).
     */
    @TestFactory
    Stream<DynamicTest> weightsFiles() {
        return StagedEncoderContract.weightsContract(ConvNeXt.factory(ConvNeXt.Size.ZEPTO64), "convnext", dir,
                "downsample4", "(40, 24, 2, 2)");
    }
}
