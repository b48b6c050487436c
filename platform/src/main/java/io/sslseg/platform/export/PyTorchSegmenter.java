package io.sslseg.platform.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import io.sslseg.platform.train.SegmentationNet;

/** A run's network on the PyTorch engine, in inference mode. */
public record PyTorchSegmenter(SegmentationNet net, ExportMetadata metadata) implements Segmenter {
    @Override
    public NDArray logits(NDArray images) {
        return net.forward(new ParameterStore(images.getManager(), false), new NDList(images), false).singletonOrThrow();
    }

    @Override
    public void close() {
        // the network belongs to the manager it was built in
    }
}
