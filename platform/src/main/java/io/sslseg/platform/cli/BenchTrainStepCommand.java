package io.sslseg.platform.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.sslseg.api.AtomicFiles;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.platform.data.Batch;
import io.sslseg.platform.data.BatchStream;
import io.sslseg.platform.train.DataStreams;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.RunConfig;
import io.sslseg.platform.train.TrainingStep;
import io.sslseg.platform.train.TrainingRun;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.Split;
import io.sslseg.api.data.voc.VocWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "train-step", mixinStandardHelpOptions = true,
        description = "Time training steps of a config's model, loss terms included, on its dataset (batch, crop and threads from the config).")
final class BenchTrainStepCommand implements Callable<Integer> {
    @ParentCommand
    BenchCommand parent;

    @Mixin
    ConfigOptions options;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "5", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "30", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "Also record libtorch's profiler over the timed steps and write its trace (Chrome trace JSON) to FILE; the profiler slows the steps it records.")
    Path profile;

    @Override
    public Integer call() {
        SslsegCli cli = parent.cli;
        Map<String, Object> tree = options.tree(cli.binder(), cli.err);
        RunConfig rc = Experiment.bindRunConfig(cli.binder(), tree);
        cli.startEngine(rc.runtime().threads());
        Experiment experiment = Experiment.resolve(tree, cli.plugins().catalog(), SslsegCli.cacheDir());
        Device device = Experiment.device(rc.runtime());
        RunConfig.Train t = rc.train();
        double[] millis = new double[steps];
        Map<Split, BatchStream> streams = new EnumMap<>(Split.class);
        Path scratch = scratchDir(); // loss terms that keep files (a prediction memory) get a throwaway folder
        try (NDManager root = NDManager.newBaseManager(device, "PyTorch");
                BatchStream data = DataStreams.labeled(experiment, 0)) {
            Experiment.Training training = experiment.training(root, device, scratch);
            Experiment.Built model = training.model();
            Set<Split> extra = experiment.extraSplits(model.terms());
            if (experiment.pseudoLabeledSplits(model.terms()).contains(Split.WEAK)) {
                throw new SslsegException("bench train-step does not make pseudo-labels for the weak split; time a"
                        + " weak-label run from its metrics.jsonl (seconds per step) instead");
            }
            for (Split s : extra) {
                streams.put(s, DataStreams.extra(experiment, s, 0));
            }
            TrainingStep step = training.step();
            long params = model.trainableParameters();
            for (int i = 0; i < warmup + steps; i++) {
                Map<Split, Batch> batches = new EnumMap<>(Split.class);
                batches.put(Split.LABELED, data.next());
                streams.forEach((s, stream) -> batches.put(s, stream.next()));
                if (i == warmup) {
                    step.resetPhaseTimes();
                }
                if (i == warmup && profile != null) {
                    JniUtils.startProfile(false, true, false);
                }
                long t0 = System.nanoTime();
                step.run(batches, t.optimizer().lr(), new TrainingClock(i, warmup + steps), i);
                if (i >= warmup) {
                    millis[i - warmup] = (System.nanoTime() - t0) / 1e6;
                }
            }
            if (profile != null) {
                Path tmp = profile.toAbsolutePath().resolveSibling(profile.getFileName() + ".part");
                JniUtils.stopProfile(tmp.toString());
                try {
                    AtomicFiles.move(tmp, profile);
                } catch (IOException e) {
                    throw new SslsegException("cannot write the profiler trace " + profile + ": " + e.getMessage());
                }
            }
            Arrays.sort(millis);
            double mean = Arrays.stream(millis).average().orElse(0);
            cli.out.printf("model %s + %s, loss terms %s, %d trainable parameters%n", rc.model().encoder().get("type"),
                    rc.model().decoder().get("type"), rc.loss().terms().stream().map(m -> m.get("type")).toList(), params);
            cli.out.printf("batch %d, crop %d, device %s, %s PyTorch threads%n", t.batchSize(), t.augment().crop(),
                    device, System.getProperty("ai.djl.pytorch.num_threads"));
            cli.out.printf("training step: mean %.1f ms, median %.1f ms, p90 %.1f ms -> %.2f steps/s (%d timed after %d warm-up)%n",
                    mean, millis[steps / 2], millis[(int) (steps * 0.9)], 1000 / mean, steps, warmup);
            long[] phases = step.phaseNanos();
            StringBuilder split = new StringBuilder("of which");
            for (int p = 0; p < phases.length; p++) {
                split.append(String.format(" %s %.1f ms%s", TrainingStep.PHASES.get(p), phases[p] / 1e6 / steps,
                        p < phases.length - 1 ? "," : ""));
            }
            cli.out.println(split);
            cli.out.printf("peak RSS %d MiB%n", TrainingRun.peakRssMb());
            if (profile != null) {
                cli.out.printf("profiler trace (timed steps slowed by the profiler): %s%n", profile);
            }
        } finally {
            streams.values().forEach(BatchStream::close);
            VocWriter.deleteTree(scratch);
        }
        return 0;
    }

    private static Path scratchDir() {
        try {
            return Files.createTempDirectory("sslseg-bench-");
        } catch (IOException e) {
            throw new SslsegException("cannot create a temporary folder for the benchmark: " + e.getMessage());
        }
    }
}
