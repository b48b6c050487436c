package io.sslseg.platform.export;

import io.sslseg.api.onnx.OnnxGraph;
import io.sslseg.platform.train.SegmentationNet;

/**
 * A segmentation network as an ONNX model: input {@value #INPUT}, normalised images N x 3 x H x W (N, H and W free;
 * H and W multiples of the encoder's output stride); output {@value #OUTPUT}, class logits N x C x H x W.
 */
public final class OnnxExport {
    public static final String INPUT = "images";
    public static final String OUTPUT = "logits";

    private OnnxExport() {}

    /** The model file's bytes; an {@link io.sslseg.api.onnx.OnnxExportException} names a block that cannot export. */
    public static byte[] model(SegmentationNet net, ExportMetadata metadata) {
        OnnxGraph graph = new OnnxGraph();
        OnnxGraph.Value images = graph.input(INPUT, "N", 3, "H", "W");
        OnnxGraph.Value logits = graph.export("net", net, images);
        graph.output(OUTPUT, logits, "N", net.numClasses(), "H", "W");
        return graph.toModel(metadata.toProperties(), metadata.version());
    }
}
