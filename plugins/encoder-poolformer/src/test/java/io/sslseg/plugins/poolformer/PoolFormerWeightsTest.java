package io.sslseg.plugins.poolformer;

import io.sslseg.testkit.StagedEncoderContract;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class PoolFormerWeightsTest {
    @TempDir
    Path dir;

    /**
     * The weights contract at its small configuration. The first width-dependent parameter is downsample4's conv
     * weight (32 vs 40 filters).
     */
    @TestFactory
    Stream<DynamicTest> weightsFiles() {
        return StagedEncoderContract.weightsContract(PoolFormer.factory(PoolFormer.Size.XXS64), "poolformer", dir,
                "downsample4", "(40, 24, 3, 3)");
    }
}
