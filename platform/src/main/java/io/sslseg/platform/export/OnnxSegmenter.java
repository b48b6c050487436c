package io.sslseg.platform.export;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.sslseg.api.SslsegException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An exported model run by DJL's ONNX Runtime engine. Opening it checks that the file is a model {@code sslseg export}
 * wrote (its {@value OnnxExport#INPUT} input, {@value OnnxExport#OUTPUT} output with one channel per class of its
 * metadata), so a wrong file fails here, naming it, and not in the middle of a prediction.
 */
public final class OnnxSegmenter implements Segmenter {
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final ExportMetadata metadata;

    private OnnxSegmenter(Model model, ExportMetadata metadata) {
        this.model = model;
        this.predictor = model.newPredictor(new NoopTranslator());
        this.metadata = metadata;
    }

    /** Opens {@code file} with {@code threads} ONNX Runtime threads (0: its default). */
    public static OnnxSegmenter open(Path file, int threads) {
        if (!Files.isRegularFile(file)) {
            throw new SslsegException(file + ": no such model file");
        }
        ExportMetadata metadata = inspect(file);
        Model model = Model.newInstance("sslseg", "OnnxRuntime");
        try {
            model.load(file, null, threads > 0
                    ? Map.of("intraOpNumThreads", Integer.toString(threads), "interOpNumThreads", "1") : Map.of());
            return new OnnxSegmenter(model, metadata);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new SslsegException(file + ": ONNX Runtime cannot load it (" + rootMessage(e) + ")");
        }
    }

    @Override
    public ExportMetadata metadata() {
        return metadata;
    }

    /**
     * Class logits N x C x H x W for normalised images N x 3 x H x W (H and W multiples of the output stride), in
     * the images' manager (whatever its engine).
     */
    @Override
    public NDArray logits(NDArray images) {
        NDManager target = images.getManager();
        try (NDManager ort = model.getNDManager().newSubManager()) {
            NDArray in = ort.create(images.toFloatArray(), images.getShape());
            NDList out = predictor.predict(new NDList(in));
            NDArray logits = out.singletonOrThrow();
            Shape shape = logits.getShape();
            return target.create(logits.toFloatArray(), shape);
        } catch (TranslateException e) {
            throw new SslsegException("ONNX Runtime failed on a batch of shape " + images.getShape() + ": "
                    + rootMessage(e));
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    /**
     * ONNX Runtime's process-wide environment, made by DJL's engine: DJL makes it with settings of its own and fails
     * if anything made it before, so code that uses ONNX Runtime's API directly gets it here.
     */
    public static OrtEnvironment environment() {
        Engine.getEngine("OnnxRuntime");
        return OrtEnvironment.getEnvironment();
    }

    /** The file's metadata and input/output signature, read with ONNX Runtime's own API. */
    private static ExportMetadata inspect(Path file) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = environment().createSession(file.toString(), options)) {
            ExportMetadata metadata = ExportMetadata.fromProperties(session.getMetadata().getCustomMetadata(),
                    file.toString());
            NodeInfo input = session.getInputInfo().get(OnnxExport.INPUT);
            NodeInfo output = session.getOutputInfo().get(OnnxExport.OUTPUT);
            if (session.getNumInputs() != 1 || input == null || output == null) {
                throw new SslsegException(file + ": expected one input '" + OnnxExport.INPUT + "' and an output '"
                        + OnnxExport.OUTPUT + "', found inputs " + session.getInputNames() + " and outputs "
                        + session.getOutputNames());
            }
            long[] out = ((TensorInfo) output.getInfo()).getShape();
            if (out.length != 4 || out[1] != metadata.numClasses()) {
                throw new SslsegException(file + ": its output has shape " + java.util.Arrays.toString(out) + ", but its"
                        + " metadata names " + metadata.numClasses() + " classes (N x " + metadata.numClasses()
                        + " x H x W expected)");
            }
            return metadata;
        } catch (OrtException e) {
            throw new SslsegException(file + ": not a readable ONNX model (" + e.getMessage() + ")");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
