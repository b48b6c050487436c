package io.sslseg.plugins.unet;

import static io.sslseg.api.nn.Layers.batchNorm;
import static io.sslseg.api.nn.Layers.conv2d;
import static io.sslseg.api.nn.Layers.relu;

import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import io.sslseg.api.nn.Layers;

/** The U-Net's repeated unit. */
final class ConvLayers {
    private ConvLayers() {}

    /** {@code count} x (3x3 conv without bias, BN, ReLU), each to {@code channels}; PyTorch's default conv init. */
    static SequentialBlock of(int count, int channels) {
        SequentialBlock block = new SequentialBlock();
        for (int i = 0; i < count; i++) {
            block.add(conv2d(channels, 3, 1, 1, false)).add(batchNorm()).add(relu());
        }
        block.setInitializer(Layers.TORCH_DEFAULT_CONV, Parameter.Type.WEIGHT);
        return block;
    }
}
