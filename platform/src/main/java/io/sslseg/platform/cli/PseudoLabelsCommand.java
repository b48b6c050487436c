package io.sslseg.platform.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.Split;
import io.sslseg.platform.console.ConsoleProgress;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.RunConfig;
import io.sslseg.platform.weak.PseudoLabelStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "pseudo-labels", mixinStandardHelpOptions = true,
        description = {"Make pixel pseudo-labels for the config's weak split from its image-level tags (the stage a run"
                + " with a weak-label loss runs first).",
            "Writes palette PNGs in OUT/SegmentationClass/ and OUT/quality.json (their mIoU against the true masks,"
                + " where the dataset has them)."})
final class PseudoLabelsCommand implements Callable<Integer> {
    @ParentCommand
    SslsegCli cli;

    @Mixin
    ConfigOptions options;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to create (must not exist).")
    Path out;

    @Override
    public Integer call() {
        if (Files.exists(out)) {
            throw new SslsegException(out + " already exists; choose a new folder");
        }
        Map<String, Object> tree = options.tree(cli.binder(), cli.err);
        RunConfig rc = Experiment.bindRunConfig(cli.binder(), tree);
        cli.startEngine(rc.runtime().threads());
        Experiment experiment = Experiment.resolve(tree, cli.plugins().catalog(), SslsegCli.cacheDir());
        if (experiment.data().split(Split.WEAK).size() == 0) {
            throw new SslsegException("dataset: it has no weak split (images with image-level tags) to make"
                    + " pseudo-labels for");
        }
        Device device = Experiment.device(rc.runtime());
        long started = System.nanoTime();
        try (NDManager root = NDManager.newBaseManager(device, "PyTorch")) {
            PseudoLabelStage.Quality q = PseudoLabelStage.ensure(experiment, out, root, cli.out);
            cli.out.printf("done: %s, %s%n", q.describe(), ConsoleProgress.formatDuration((System.nanoTime() - started) / 1e9));
        }
        return 0;
    }
}
