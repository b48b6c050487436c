package io.sslseg.platform.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.SslsegException;
import io.sslseg.api.onnx.OnnxExportException;
import io.sslseg.platform.export.ExportMetadata;
import io.sslseg.platform.export.OnnxExport;
import io.sslseg.platform.export.OnnxSegmenter;
import io.sslseg.platform.export.PyTorchSegmenter;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.platform.train.RunConfig;
import io.sslseg.platform.train.TrainedNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a run's network as an ONNX model (opset 17) that carries its classes, palette and"
                + " normalisation; the file is checked against the PyTorch engine before it is kept.")
final class ExportCommand implements Callable<Integer> {
    /** Largest difference from the PyTorch engine's logits that the check accepts. */
    static final float TOLERANCE = 1e-3f;

    @ParentCommand
    SslsegCli cli;

    @Parameters(paramLabel = "RUN_DIR", description = "A run folder written by 'sslseg train'.")
    Path runDir;

    @Option(names = "--checkpoint", paramLabel = "best|latest", defaultValue = "best",
            description = "The checkpoint to export (default: ${DEFAULT-VALUE}).")
    String which;

    @Option(names = "--model", paramLabel = "student|teacher",
            description = "The network to export (default: the run's eval.model; the other one is in latest.ckpt).")
    String model;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The .onnx file to write.")
    Path out;

    @Override
    public Integer call() throws IOException {
        String file = TrainedNetwork.checkpointFile(which);
        if (out.getParent() != null && !Files.isDirectory(out.getParent())) {
            throw new SslsegException("--out " + out + ": folder " + out.getParent() + " does not exist");
        }
        if (Files.isDirectory(out)) {
            throw new SslsegException("--out " + out + " is a folder; name the .onnx file to write");
        }
        LoadedRun run = LoadedRun.open(cli, runDir);
        RunConfig rc = run.config();
        Device cpu = Device.cpu(); // weights leave for another runtime: the CPU copy is what is written
        try (NDManager root = NDManager.newBaseManager(cpu, "PyTorch")) {
            TrainedNetwork trained = TrainedNetwork.load(run.folder(), run.experiment(), file, model, root, cpu);
            ExportMetadata metadata = run.metadata(trained);
            byte[] bytes;
            try {
                OnnxExport.Exported exported = OnnxExport.model(trained.net(), metadata);
                bytes = exported.bytes();
                metadata = exported.metadata();
            } catch (OnnxExportException e) {
                throw new SslsegException("the run's model (encoder " + rc.model().encoder().get("type") + ", decoder "
                        + rc.model().decoder().get("type") + ") cannot be exported: " + e.getMessage());
            }
            RunFolder.writeAtomically(out, bytes);
            float difference;
            boolean keep = false;
            try {
                difference = check(trained, metadata, root);
                if (!(difference <= TOLERANCE)) {
                    throw new SslsegException("the exported model's logits differ from the PyTorch engine's by up to "
                            + difference + " (more than " + TOLERANCE + "); " + out + " was not kept");
                }
                keep = true;
            } finally {
                if (!keep) {
                    Files.deleteIfExists(out); // a model that failed its check never stays looking complete
                }
            }
            cli.out.printf("wrote %s (%.1f MB): %s of %s (step %d), %d classes%n", out, bytes.length / 1e6,
                    trained.model(), file, trained.state().step(), metadata.numClasses());
            String size = metadata.fixedSize() == 0 ? "H x W" : metadata.fixedSize() + " x " + metadata.fixedSize();
            cli.out.printf("  input  %s: float N x 3 x %s, normalised (mean %s, std %s), %s%n",
                    OnnxExport.INPUT, size, java.util.Arrays.toString(metadata.normalization().mean()),
                    java.util.Arrays.toString(metadata.normalization().std()), metadata.fixedSize() == 0
                            ? "H and W multiples of " + metadata.outputStride()
                            : "a fixed size: the network's adaptive pooling depends on it (predict resizes to it)");
            cli.out.printf("  output %s: float N x %d x %s%n", OnnxExport.OUTPUT, metadata.numClasses(), size);
            cli.out.printf("  checked: ONNX Runtime's logits match the PyTorch engine's to %.1e on a random"
                    + " 2 x 3 x %d x %d batch%n", difference, metadata.crop(), metadata.crop());
        }
        return 0;
    }

    /** Max abs difference of the two engines' logits on a random batch at the training crop. */
    private float check(TrainedNetwork trained, ExportMetadata metadata, NDManager root) {
        try (OnnxSegmenter onnx = OnnxSegmenter.open(out, 0); NDManager scratch = root.newSubManager()) {
            NDArray images = scratch.randomNormal(new Shape(2, 3, metadata.crop(), metadata.crop()));
            NDArray expected = new PyTorchSegmenter(trained.net(), metadata).logits(images);
            NDArray actual = onnx.logits(images);
            return actual.sub(expected).abs().max().getFloat();
        }
    }
}
