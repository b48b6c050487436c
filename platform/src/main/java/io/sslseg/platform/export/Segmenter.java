package io.sslseg.platform.export;

import ai.djl.ndarray.NDArray;

/** A trained network ready for images: a run's network on the PyTorch engine or an exported model on ONNX Runtime. */
public interface Segmenter extends AutoCloseable {
    /** Classes, normalisation and the side multiple the network needs. */
    ExportMetadata metadata();

    /** Class logits N x C x H x W for normalised images N x 3 x H x W, H and W multiples of the output stride. */
    NDArray logits(NDArray images);

    @Override
    void close();
}
