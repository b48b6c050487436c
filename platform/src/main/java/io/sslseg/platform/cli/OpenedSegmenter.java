package io.sslseg.platform.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.SslsegException;
import io.sslseg.platform.export.ExportMetadata;
import io.sslseg.platform.export.OnnxExport;
import io.sslseg.platform.export.OnnxSegmenter;
import io.sslseg.platform.export.PyTorchSegmenter;
import io.sslseg.platform.export.Segmenter;
import io.sslseg.platform.train.TrainedNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The network that {@code predict} and {@code eval --data} run, from {@code --run RUN_DIR} or {@code --model FILE}
 * on {@code --engine pytorch|onnxruntime}, and whatever must stay open while it is used.
 */
record OpenedSegmenter(Segmenter segmenter, NDManager manager, Path temporary, String description)
        implements AutoCloseable {

    /** The engine a command's {@code --engine} names, or the default for its source; checked. */
    static String engine(String requested, boolean exportedModel) {
        String engine = requested != null ? requested : exportedModel ? "onnxruntime" : "pytorch";
        if (!engine.equals("pytorch") && !engine.equals("onnxruntime")) {
            throw new SslsegException("--engine must be pytorch or onnxruntime, got '" + requested + "'");
        }
        if (exportedModel && engine.equals("pytorch")) {
            throw new SslsegException("--engine pytorch needs a run folder: an exported model runs on onnxruntime");
        }
        return engine;
    }

    /**
     * Opens a run's network ({@code model} null) or an exported model ({@code run} null). A run on onnxruntime is
     * exported to a temporary file first, as {@code sslseg export} would write it.
     */
    static OpenedSegmenter open(SslsegCli cli, Path run, Path model, String checkpoint, String engine, int threads)
            throws IOException {
        if (model != null) {
            cli.startEngine(threads); // host-side arrays
            return new OpenedSegmenter(OnnxSegmenter.open(model, threads), null, null, model.toString());
        }
        LoadedRun loaded = LoadedRun.open(cli, run);
        String file = TrainedNetwork.checkpointFile(checkpoint);
        NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        try {
            TrainedNetwork trained = TrainedNetwork.load(loaded.folder(), loaded.experiment(), file, null, manager,
                    Device.cpu());
            ExportMetadata md = loaded.metadata(trained);
            String description = trained.model() + " of " + run + "/checkpoints/" + file + ", step " + trained.state().step();
            if (engine.equals("pytorch")) {
                return new OpenedSegmenter(new PyTorchSegmenter(trained.net(), md), manager, null, description);
            }
            Path temporary = Files.createTempFile("sslseg", ".onnx");
            try {
                Files.write(temporary, OnnxExport.model(trained.net(), md).bytes());
                return new OpenedSegmenter(OnnxSegmenter.open(temporary, threads), manager, temporary, description);
            } catch (RuntimeException | IOException e) {
                Files.deleteIfExists(temporary);
                throw e;
            }
        } catch (RuntimeException | IOException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        segmenter.close();
        if (manager != null) {
            manager.close();
        }
        if (temporary != null) {
            Files.deleteIfExists(temporary);
        }
    }
}
