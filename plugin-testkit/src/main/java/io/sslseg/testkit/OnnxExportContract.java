package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.inject.Module;
import io.sslseg.api.Components;
import io.sslseg.api.model.DecoderContext;
import io.sslseg.api.model.DecoderFactory;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.onnx.OnnxGraph;
import io.sslseg.platform.export.OnnxSegmenter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The export contract: a block exported to ONNX computes what the PyTorch engine computes in inference mode. The
 * block is initialised, trained for two forward passes on random data (so that batch-norm statistics are not the
 * trivial 0 and 1), then run on one random input by both the PyTorch engine and ONNX Runtime: every output must
 * agree to {@value #TOLERANCE} (max abs difference; times the output's largest magnitude where that exceeds 1, since
 * the features of a deep randomly initialised encoder reach tens and float32 rounding grows with them), at the size it
 * was built for and at another size (the model's H and W are free). The exported file also passes ONNX's own checker ({@link OnnxChecker}).
 */
public final class OnnxExportContract {
    public static final float TOLERANCE = 1e-4f;

    private OnnxExportContract() {}

    /** One dynamic test per encoder and per decoder the module registers (default parameters); it registers some. */
    public static Stream<DynamicTest> forAll(Module module) {
        assertTrue(!Registered.componentsIfAny(module, Components.ENCODER).isEmpty()
                || !Registered.componentsIfAny(module, Components.DECODER).isEmpty(),
                module.getClass().getName() + " registers no encoder or decoder");
        Stream<DynamicTest> encoders = Registered.componentsIfAny(module, Components.ENCODER).entrySet().stream()
                .map(e -> DynamicTest.dynamicTest("encoder " + e.getKey(), () -> checkEncoder(e.getKey(), e.getValue())));
        Stream<DynamicTest> decoders = Registered.componentsIfAny(module, Components.DECODER).entrySet().stream()
                .map(e -> DynamicTest.dynamicTest("decoder " + e.getKey(), () -> checkDecoder(e.getKey(), e.getValue())));
        return Stream.concat(encoders, decoders);
    }

    public static <P extends Record> void checkEncoder(String name, EncoderFactory<P> factory) throws Exception {
        var encoder = factory.create(factory.defaults(), new EncoderContext(3));
        int stride = encoder.features().outputStride();
        check("encoder " + name, encoder.block(), size -> new Shape[] {new Shape(2, 3, size, size)},
                EncoderContract.SIZE, EncoderContract.SIZE + 2 * stride);
    }

    public static <P extends Record> void checkDecoder(String name, DecoderFactory<P> factory) throws Exception {
        var features = DecoderContract.FEATURES;
        var decoder = factory.create(factory.defaults(), new DecoderContext(features, DecoderContract.CLASSES));
        check("decoder " + name, decoder.block(), size -> features.stages().stream()
                .map(s -> new Shape(2, s.channels(), size / s.stride(), size / s.stride())).toArray(Shape[]::new),
                DecoderContract.SIZE, DecoderContract.SIZE + 2 * features.outputStride());
    }

    /** The shapes of a block's inputs for images of side {@code size}. */
    @FunctionalInterface
    public interface InputShapes {
        Shape[] at(int size);
    }

    /** Checks a block at {@code builtSize} and at {@code otherSize} (both multiples of its stride). */
    public static void check(String label, Block block, InputShapes shapes, int builtSize, int otherSize)
            throws Exception {
        Engine.getEngine("PyTorch").setRandomSeed(4321);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Shape[] built = shapes.at(builtSize);
            block.initialize(manager, DataType.FLOAT32, built);
            ParameterStore ps = new ParameterStore(manager, false);
            for (int i = 0; i < 2; i++) {
                try (NDManager step = manager.newSubManager()) {
                    block.forward(ps, random(step, built, 1f), true, null);
                }
            }
            int outputs = block.getOutputShapes(built).length;
            byte[] model;
            int[] sizes;
            try {
                model = export(block, built.length, outputs, null);
                sizes = new int[] {builtSize, otherSize};
            } catch (OnnxGraph.FixedSizeRequired e) {
                // a block whose ONNX form depends on the input size (adaptive pooling): one size, the built one
                model = export(block, built.length, outputs, built);
                sizes = new int[] {builtSize};
            }
            Path file = Files.createTempFile("export-contract", ".onnx");
            try {
                Files.write(file, model);
                OnnxChecker.check(file);
                for (int size : sizes) {
                    try (NDManager step = manager.newSubManager()) {
                        NDList in = random(step, shapes.at(size), 1f);
                        NDList expected = block.forward(ps, in, false, null);
                        List<float[]> actual = runOnnx(model, in);
                        assertEquals(expected.size(), actual.size(), label + ": outputs");
                        for (int o = 0; o < expected.size(); o++) {
                            float[] e = expected.get(o).toFloatArray();
                            float[] a = actual.get(o);
                            assertEquals(e.length, a.length, label + ": output " + o + " size at " + size + " px");
                            float worst = 0;
                            float scale = 1;
                            for (int k = 0; k < e.length; k++) {
                                worst = Math.max(worst, Math.abs(e[k] - a[k]));
                                scale = Math.max(scale, Math.abs(e[k]));
                            }
                            assertTrue(worst <= TOLERANCE * scale, label + ": output " + o + " at " + size
                                    + " px differs from the PyTorch engine by up to " + worst + " (largest |value| "
                                    + scale + ")");
                        }
                    }
                }
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The block alone as a model: inputs in0.., outputs out0.., every dimension free unless {@code fixed} is given. */
    static byte[] export(Block block, int inputs, int outputs, Shape[] fixed) {
        OnnxGraph graph = new OnnxGraph();
        List<OnnxGraph.Value> in = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            in.add(fixed == null ? graph.input("in" + i, "N", "C" + i, "H" + i, "W" + i)
                    : graph.input("in" + i, "N", fixed[i].get(1), fixed[i].get(2), fixed[i].get(3)));
        }
        List<OnnxGraph.Value> out = graph.export("block", block, in);
        assertEquals(outputs, out.size(), "the export's outputs");
        for (int i = 0; i < out.size(); i++) {
            graph.output("out" + i, out.get(i), "N", "C" + i + "'", "H" + i + "'", "W" + i + "'");
        }
        return graph.toModel(Map.of(), "test");
    }

    private static List<float[]> runOnnx(byte[] model, NDList inputs) throws OrtException {
        OrtEnvironment env = OnnxSegmenter.environment();
        try (OrtSession.SessionOptions options = optimisation();
                OrtSession session = env.createSession(model, options)) {
            Map<String, OnnxTensor> feed = new HashMap<>();
            try {
                for (int i = 0; i < inputs.size(); i++) {
                    feed.put("in" + i, OnnxTensor.createTensor(env, FloatBuffer.wrap(inputs.get(i).toFloatArray()),
                            inputs.get(i).getShape().getShape()));
                }
                try (OrtSession.Result result = session.run(feed)) {
                    List<float[]> out = new ArrayList<>();
                    for (int i = 0; i < result.size(); i++) {
                        OnnxTensor t = (OnnxTensor) result.get(i);
                        FloatBuffer b = t.getFloatBuffer();
                        float[] values = new float[b.remaining()];
                        b.get(values);
                        out.add(values);
                    }
                    return out;
                }
            } finally {
                feed.values().forEach(OnnxTensor::close);
            }
        }
    }

    static OrtSession.SessionOptions optimisation() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        if (System.getenv("ORT_NO_OPT") != null) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        }
        return o;
    }

    private static NDList random(NDManager manager, Shape[] shapes, float scale) {
        NDList list = new NDList();
        for (Shape s : shapes) {
            list.add(manager.randomNormal(0, scale, s, DataType.FLOAT32));
        }
        return list;
    }
}
