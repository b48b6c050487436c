package org.example.sslseg;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.nn.StagedBackbone;
import java.util.List;

/**
 * An example encoder: strided 3x3 conv blocks, publishing two stages (stride 4 and 8) so that a decoder can
 * fuse the finer one. Decoders see only the encoder's feature info: channels and stride of each output.
 */
public final class TwoStageCnn {
    /** Parameters bind from the config block; validate ranges here, naming the field. */
    public record Params(int width) {
        public Params {
            if (width < 1) {
                throw new IllegalArgumentException("width must be >= 1, got " + width);
            }
        }
    }

    private TwoStageCnn() {}

    public static EncoderFactory<Params> factory() {
        return EncoderFactory.of(Params.class, new Params(16), "two-stage strided CNN (plugin example)", TwoStageCnn::create);
    }

    static Encoder create(Params p, EncoderContext context) {
        // the API's StagedBackbone publishes each stage's map in order, as FeatureInfo says
        Block stem = new SequentialBlock().add(Layers.conv2d(p.width(), 3, 2, 1, false)).add(Layers.batchNorm())
                .add(Layers.relu());
        return new StagedBackbone(stem, List.of(
                new StagedBackbone.Stage("fine", null, convBnRelu(2 * p.width(), 2), null, 2 * p.width(), 4),
                new StagedBackbone.Stage("coarse", null, convBnRelu(4 * p.width(), 2), null, 4 * p.width(), 8)), null);
    }

    private static Block convBnRelu(int channels, int stride) {
        return new SequentialBlock().add(Layers.conv2d(channels, 3, stride, 1, false)).add(Layers.batchNorm())
                .add(Layers.relu());
    }
}
