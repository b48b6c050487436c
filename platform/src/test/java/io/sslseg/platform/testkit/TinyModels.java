package io.sslseg.platform.testkit;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.sslseg.api.model.Decoder;
import io.sslseg.api.model.DecoderContext;
import io.sslseg.api.model.DecoderFactory;
import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.EncoderContext;
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

    public static final class TinyEncoder implements EncoderFactory<EncoderParams> {
        @Override
        public Class<EncoderParams> paramsType() {
            return EncoderParams.class;
        }

        @Override
        public EncoderParams defaults() {
            return new EncoderParams(8);
        }

        @Override
        public String summary() {
            return "two strided convs (tests only)";
        }

        @Override
        public Encoder create(EncoderParams p, EncoderContext ctx) {
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
    }

    public static final class TinyDecoder implements DecoderFactory<DecoderParams> {
        @Override
        public Class<DecoderParams> paramsType() {
            return DecoderParams.class;
        }

        @Override
        public DecoderParams defaults() {
            return new DecoderParams();
        }

        @Override
        public String summary() {
            return "1x1 conv + pixel shuffle (tests only)";
        }

        @Override
        public Decoder create(DecoderParams p, DecoderContext ctx) {
            int r = ctx.features().outputStride();
            int c = ctx.numClasses();
            Block block = new SequentialBlock()
                    .add(Layers.conv2d(c * r * r, 1, 1, 1, true))
                    .add(Layers.function(x -> SpatialOps.pixelShuffle(x, r), s -> SpatialOps.pixelShuffleShape(s, r)));
            return () -> block;
        }
    }

}
