package io.sslseg.platform.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.SslsegException;
import io.sslseg.platform.export.Segmenter;
import io.sslseg.platform.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "infer", mixinStandardHelpOptions = true,
        description = {"Time inference of a run's network (or an exported model) on one engine: images per second at"
                + " each batch size, on random images at the training crop, and the process's peak memory.",
            "Run it once per engine: the peak memory is the whole process's."})
final class BenchInferCommand implements Callable<Integer> {
    @ParentCommand
    BenchCommand bench;

    @Parameters(paramLabel = "RUN_DIR", arity = "0..1", description = "A run folder written by 'sslseg train'.")
    Path runDir;

    @Option(names = "--model", paramLabel = "FILE", description = "A model written by 'sslseg export' instead.")
    Path model;

    @Option(names = "--engine", paramLabel = "pytorch|onnxruntime",
            description = "The runtime (default: pytorch for RUN_DIR, onnxruntime for --model).")
    String engine;

    @Option(names = "--batch", paramLabel = "N", split = ",", defaultValue = "1,16",
            description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "CPU threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "5", description = "Untimed batches first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "30", description = "Timed batches (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public Integer call() throws IOException {
        if ((runDir == null) == (model == null)) {
            throw new SslsegException("give a RUN_DIR or --model FILE, one of them");
        }
        if (batches.stream().anyMatch(b -> b < 1) || warmup < 0 || iterations < 1 || threads < 1) {
            throw new SslsegException("--batch sizes, --iterations and --threads must be positive, --warmup >= 0");
        }
        SslsegCli cli = bench.cli;
        // the PyTorch engine reads its thread count once, when it starts
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        String runtime = OpenedSegmenter.engine(engine, model != null);
        try (OpenedSegmenter opened = OpenedSegmenter.open(cli, runDir, model, "best", runtime, threads);
                NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Segmenter segmenter = opened.segmenter();
            int size = segmenter.metadata().fixedSize() > 0 ? segmenter.metadata().fixedSize() : segmenter.metadata().crop();
            cli.out.printf("%s on %s, %d threads, %d x %d images%n", opened.description(), runtime, threads, size, size);
            for (int batch : batches) {
                long[] nanos = new long[iterations];
                for (int i = -warmup; i < iterations; i++) {
                    try (NDManager scratch = root.newSubManager()) {
                        NDArray images = scratch.randomNormal(new Shape(batch, 3, size, size));
                        long t0 = System.nanoTime();
                        segmenter.logits(images).toFloatArray(); // until the values are on the host
                        if (i >= 0) {
                            nanos[i] = System.nanoTime() - t0;
                        }
                    }
                }
                Arrays.sort(nanos);
                double median = nanos[iterations / 2] / 1e9;
                cli.out.printf("  batch %3d: median %.1f ms per batch, %.1f images/s%n", batch, median * 1e3,
                        batch / median);
            }
            cli.out.printf("  peak RSS %d MiB%n", TrainingRun.peakRssMb());
        }
        return 0;
    }
}
