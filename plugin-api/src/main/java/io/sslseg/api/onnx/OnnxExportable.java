package io.sslseg.api.onnx;

import java.util.List;

/**
 * A block that writes its own inference-mode computation into an ONNX graph. The platform exports a network by
 * walking its blocks: DJL's {@code SequentialBlock}, {@code Conv2d} and {@code BatchNorm} it knows; every other block
 * must implement this, or export fails with a message naming the block and the component it belongs to.
 */
public interface OnnxExportable {
    /**
     * Adds this block's ops to {@code graph}.
     *
     * @param inputs the values of the block's inputs, in the order its {@code forward} receives them
     * @return the values of its outputs, in the order {@code forward} returns them
     */
    List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs);
}
