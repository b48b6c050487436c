package io.sslseg.plugins.resnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import io.sslseg.api.SslsegException;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.nn.ParameterFile;
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
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Block trained = encoder(R18, 8, null);
            trained.initialize(m, DataType.FLOAT32, IMAGES);
            Path file = dir.resolve("resnet18-w8.params");
            ParameterFile.save(trained, file);

            Block loaded = encoder(R18, 8, file.toString());
            loaded.initialize(m, DataType.FLOAT32, IMAGES);
            ParameterList a = trained.getParameters(), b = loaded.getParameters();
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).getValue().getArray(), b.get(i).getValue().getArray(), a.get(i).getKey());
            }
        }
    }

    @Test
    void aFileForAnotherConfigurationIsAClearError() throws IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Block trained = encoder(R18, 8, null);
            trained.initialize(m, DataType.FLOAT32, IMAGES);
            Path file = dir.resolve("resnet18-w8.params");
            ParameterFile.save(trained, file);

            for (Block wrong : new Block[] {encoder(R18, 16, file.toString()),
                    encoder(ResNet.factory(ResNet.Depth.R34), 8, file.toString()),
                    encoder(ResNet.factory(ResNet.Depth.R50), 8, file.toString())}) {
                SslsegException e = assertThrows(SslsegException.class, () -> wrong.initialize(m, DataType.FLOAT32, IMAGES));
                assertTrue(e.getMessage().startsWith("weights file " + file + " does not fit"), e.getMessage());
            }
        }
    }

    @Test
    void aMissingFileFailsAtCreation() {
        SslsegException e = assertThrows(SslsegException.class, () -> encoder(R18, 8, dir.resolve("nope.params").toString()));
        assertTrue(e.getMessage().contains("nope.params"), e.getMessage());
    }
}
