package io.sslseg.platform.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.model.Decoder;
import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.onnx.OnnxGraph;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Encoder then decoder: images in, logits at input resolution out. */
public final class SegmentationNet extends AbstractBlock implements OnnxExportable {
    private final Block encoder;
    private final Block decoder;
    private final Decoder decoderComponent;
    private final FeatureInfo features;
    private final int numClasses;

    public SegmentationNet(Encoder encoder, Decoder decoder, int numClasses) {
        this.encoder = addChildBlock("encoder", encoder.block());
        this.decoder = addChildBlock("decoder", decoder.block());
        this.decoderComponent = decoder;
        this.features = encoder.features();
        this.numClasses = numClasses;
    }

    public Block encoder() {
        return encoder;
    }

    public Block decoder() {
        return decoder;
    }

    /** The decoder as its plugin built it (loss terms may need its neck and head). */
    public Decoder decoderComponent() {
        return decoderComponent;
    }

    public FeatureInfo features() {
        return features;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Input sides must be a multiple of this. */
    public int outputStride() {
        return features.outputStride();
    }

    /** The encoder's parameters, by identity: they form their own learning-rate group. */
    public Set<Parameter> encoderParameters() {
        Set<Parameter> set = Collections.newSetFromMap(new IdentityHashMap<>());
        encoder.getParameters().values().forEach(set::add);
        return set;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList feats = encoder.forward(ps, inputs, training, params);
        return decoder.forward(ps, feats, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), numClasses, in.get(2), in.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes);
        decoder.initialize(manager, dataType, encoder.getOutputShapes(inputShapes));
    }

    @Override
    public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
        return graph.export("decoder", decoder, graph.export("encoder", encoder, inputs));
    }
}
