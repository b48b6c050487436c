package io.sslseg.platform.cli;

import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.SegDataset;
import io.sslseg.api.data.Split;
import io.sslseg.platform.data.AugmentConfig;
import io.sslseg.platform.data.Augmenter;
import io.sslseg.platform.data.BatchStream;
import io.sslseg.platform.data.BatchStream.Prefetch;
import io.sslseg.platform.plugins.ComponentCatalog;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sslseg bench data}: throughput of the training data pipeline (load or generate, augment, batch)
 * without prefetch and with 1..N loader threads, optionally against a simulated training step so the
 * overlap (how long the consumer waits per batch) shows.
 */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Images/s of the data pipeline (decode/generate + augment + batch), with and without prefetch.")
public final class BenchDataCommand implements Callable<Integer> {
    @ParentCommand
    BenchCommand parent;

    @Option(names = "--dataset", defaultValue = "fashion-scenes", paramLabel = "NAME",
            description = "Dataset component (default: ${DEFAULT-VALUE}); e.g. voc with --set root=DIR.")
    String dataset;

    @Mixin
    DataCommand.DatasetSettings settings;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "LABELED", description = "Split to stream (default: ${DEFAULT-VALUE}).")
    Split split;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--crop", paramLabel = "PX", description = "Crop side (default: the training default's).")
    Integer crop;

    @Option(names = "--scale", split = ",", paramLabel = "MIN,MAX",
            description = "Random scale range, e.g. 0.5,2.0 (default: the training default's).")
    double[] scale;

    @Option(names = "--batches", paramLabel = "N", defaultValue = "100", description = "Timed batches per setting (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--step-ms", paramLabel = "MS", defaultValue = "0",
            description = "Simulated training step per batch, in ms (default: ${DEFAULT-VALUE}: consume as fast as possible).")
    int stepMs;

    @Override
    public Integer call() {
        SslsegCli cli = parent.cli;
        return run(cli.plugins().catalog(), cli.out);
    }

    public int run(ComponentCatalog catalog, PrintStream out) {
        Map<String, Object> block = settings.block(dataset);
        SegDataset ds = DataCommand.build(catalog, block);
        SampleList list = ds.split(split);
        AugmentConfig defaults = AugmentConfig.defaults();
        AugmentConfig config = new AugmentConfig(scale == null ? defaults.scaleMin() : scale[0],
                scale == null ? defaults.scaleMax() : scale[scale.length - 1], crop == null ? defaults.crop() : crop,
                defaults.flip());
        Augmenter augmenter = new Augmenter(config);
        int cores = Runtime.getRuntime().availableProcessors();
        Set<Integer> workers = new LinkedHashSet<>(List.of(0, 1, Math.max(1, cores - 1), cores));
        out.printf("dataset %s, split %s (%d images), batch %d, crop %d, scale %.2f..%.2f, %d cores, step %d ms%n",
                dataset, split, list.size(), batch, config.crop(), config.scaleMin(), config.scaleMax(), cores, stepMs);
        out.printf("%-12s %8s %10s %12s %16s%n", "setting", "workers", "batches", "images/s", "wait/batch ms");
        // Untimed: what the dataset loads once (e.g. the Fashion-MNIST items) and the JIT's warm-up, so the
        // first setting measured is not penalised.
        try (BatchStream warmUp = BatchStream.training(list, batch, augmenter, 0, 0, Prefetch.NONE)) {
            for (int i = 0; i < Math.min(50, batches); i++) {
                warmUp.next();
            }
        }
        for (int w : workers) {
            Prefetch prefetch = w == 0 ? Prefetch.NONE : new Prefetch(w, 2);
            try (BatchStream stream = BatchStream.training(list, batch, augmenter, 1, 0, prefetch)) {
                for (int i = 0; i < 3; i++) {
                    stream.next(); // thread start, first prefetch
                }
                long waited = 0;
                long t0 = System.nanoTime();
                for (int i = 0; i < batches; i++) {
                    long before = System.nanoTime();
                    stream.next();
                    waited += System.nanoTime() - before;
                    if (stepMs > 0) {
                        Thread.sleep(stepMs);
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                out.printf("%-12s %8d %10d %12.0f %16.2f%n", w == 0 ? "no prefetch" : "prefetch", w, batches,
                        batches * (double) batch / seconds, waited / 1e6 / batches);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return SslsegCli.EXIT_FAILED;
            }
        }
        return 0;
    }
}
