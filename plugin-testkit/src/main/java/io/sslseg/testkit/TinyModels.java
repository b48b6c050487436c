package io.sslseg.testkit;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.sslseg.api.model.Decoder;
import io.sslseg.api.model.DecoderContext;
import io.sslseg.api.model.DecoderFactory;
import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.nn.SpatialOps;
import java.util.List;

/** A two-conv encoder (stride 4) and a pixel-shuffle head, small enough for loop tests on 2 cores. */
public final class TinyModels {
    private TinyModels() {}

    public record EncoderParams(int width) {}

    public record DecoderParams() {}

    public static EncoderFactory<EncoderParams> encoderFactory() {
        return EncoderFactory.of(EncoderParams.class, new EncoderParams(8), "two strided convs (tests only)",
                (p, ctx) -> encoder(p));
    }

    public static DecoderFactory<DecoderParams> decoderFactory() {
        return DecoderFactory.of(DecoderParams.class, new DecoderParams(), "1x1 conv + pixel shuffle (tests only)",
                (p, ctx) -> decoder(ctx));
    }

    private static Encoder encoder(EncoderParams p) {
        Block block = new SequentialBlock()
                .add(Layers.conv2d(p.width(), 3, 2, 1, false)).add(Layers.batchNorm()).add(Layers.relu())
                .add(Layers.conv2d(2 * p.width(), 3, 2, 1, false)).add(Layers.batchNorm()).add(Layers.relu());
        FeatureInfo info = new FeatureInfo(List.of(new FeatureInfo.Stage("out", 2 * p.width(), 4)));
        return new Encoder() {
            @Override
            public Block block() {
                return block;
            }

            @Override
            public FeatureInfo features() {
                return info;
            }
        };
    }

    private static Decoder decoder(DecoderContext ctx) {
        int r = ctx.features().outputStride();
        int c = ctx.numClasses();
        Block block = new SequentialBlock()
                .add(Layers.conv2d(c * r * r, 1, 1, 1, true))
                .add(Layers.function(x -> SpatialOps.pixelShuffle(x, r), s -> SpatialOps.pixelShuffleShape(s, r)));
        return () -> block;
    }
}
