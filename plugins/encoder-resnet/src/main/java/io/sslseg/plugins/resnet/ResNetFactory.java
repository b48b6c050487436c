package io.sslseg.plugins.resnet;

import ai.djl.nn.Block;
import io.sslseg.api.SslsegException;
import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.model.FeatureInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** One factory per depth; they share {@link ResNetParams}. */
public final class ResNetFactory implements EncoderFactory<ResNetParams> {
    private final ResNet.Depth depth;

    public ResNetFactory(ResNet.Depth depth) {
        this.depth = depth;
    }

    @Override
    public Class<ResNetParams> paramsType() {
        return ResNetParams.class;
    }

    @Override
    public ResNetParams defaults() {
        return ResNetParams.DEFAULTS;
    }

    @Override
    public String summary() {
        return "ResNet-" + depth.name().substring(1) + (depth.bottleneck ? " (bottleneck" : " (basic")
                + " blocks " + Arrays.toString(depth.blocks)
                + "): base width, output stride 8/16/32 by dilation, optional deep stem and weights file";
    }

    @Override
    public Encoder create(ResNetParams params, EncoderContext context) {
        // Input channels need no plumbing: the stem conv takes them from the data at initialisation.
        if (params.weights() != null && !Files.isRegularFile(Path.of(params.weights()))) {
            throw new SslsegException("resnet weights file not found: " + Path.of(params.weights()).toAbsolutePath());
        }
        ResNet net = new ResNet(depth, params);
        return new ResNetEncoder(net, net.features());
    }

    private record ResNetEncoder(Block block, FeatureInfo features) implements Encoder {}
}
