package io.sslseg.plugins.resnet;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.testkit.WeightsContract;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResNetWeightsTest {
    private static final Shape IMAGES = new Shape(1, 3, 32, 32);
    private static final EncoderFactory<ResNetParams> R18 = ResNet.factory(ResNet.Depth.R18);

    @TempDir
    Path dir;

    private static Block encoder(EncoderFactory<ResNetParams> factory, int width, String weights) {
        return factory.create(new ResNetParams(width, 8, false, weights), new EncoderContext(3)).block();
    }

    @Test
    void initialisationLoadsTheWeightsFile() throws IOException {
        WeightsContract.assertRoundTrip(w -> encoder(R18, 8, w), IMAGES, dir.resolve("resnet18-w8.params"));
    }

    @Test
    void aFileForAnotherConfigurationIsAClearError() throws IOException {
        Path file = WeightsContract.save(encoder(R18, 8, null), IMAGES, dir.resolve("resnet18-w8.params"));
        for (Block wrong : new Block[] {encoder(R18, 16, file.toString()),
                encoder(ResNet.factory(ResNet.Depth.R34), 8, file.toString()),
                encoder(ResNet.factory(ResNet.Depth.R50), 8, file.toString())}) {
            WeightsContract.assertDoesNotFit(wrong, IMAGES, file);
        }
    }

    @Test
    void aMissingFileFailsAtCreation() {
        WeightsContract.assertMissingFileFailsAtCreation(w -> encoder(R18, 8, w), dir, "resnet");
    }
}
