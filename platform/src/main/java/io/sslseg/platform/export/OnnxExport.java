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

    /** A model file's bytes and what it carries. */
    public record Exported(byte[] bytes, ExportMetadata metadata) {}

    /**
     * The model, with H and W free where every block allows it, else fixed at the training crop (a network with
     * adaptive pooling; the metadata then says so). An {@link io.sslseg.api.onnx.OnnxExportException} names a block
     * that cannot be exported.
     */
    public static Exported model(SegmentationNet net, ExportMetadata metadata) {
        try {
            return new Exported(write(net, metadata), metadata);
        } catch (OnnxGraph.FixedSizeRequired e) {
            ExportMetadata fixed = metadata.withFixedSize(metadata.crop());
            return new Exported(write(net, fixed), fixed);
        }
    }

    private static byte[] write(SegmentationNet net, ExportMetadata metadata) {
        int size = metadata.fixedSize();
        Object h = size == 0 ? "H" : size;
        Object w = size == 0 ? "W" : size;
        OnnxGraph graph = new OnnxGraph();
        OnnxGraph.Value images = graph.input(INPUT, "N", 3, h, w);
        OnnxGraph.Value logits = graph.export("net", net, images);
        graph.output(OUTPUT, logits, "N", net.numClasses(), h, w);
        return graph.toModel(metadata.toProperties(), metadata.version());
    }
}
