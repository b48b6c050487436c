package io.sslseg.platform.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.sslseg.api.SslsegException;
import io.sslseg.api.loss.SupervisedLoss;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.platform.console.ConsoleProgress;
import io.sslseg.platform.data.Batch;
import io.sslseg.platform.eval.ConfusionMatrix;
import io.sslseg.platform.eval.Evaluator;
import io.sslseg.platform.run.MetricsLog;
import io.sslseg.platform.run.RunFolder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The supervised training loop: one labelled batch per step, loss, backward, optimizer step with the poly
 * schedule; validation, metrics and checkpoints at their intervals. All per-step arrays live in a
 * per-step NDManager so memory stays flat over any number of steps.
 */
public final class TrainingRun {

    public record Result(long steps, double finalMiou, double bestMiou, long bestStep, double seconds,
            double stepsPerSecond, long peakRssMb) {}

    private final Experiment experiment;
    private final RunFolder folder;
    private final PrintStream console;

    public TrainingRun(Experiment experiment, RunFolder folder, PrintStream console) {
        this.experiment = experiment;
        this.folder = folder;
        this.console = console;
    }

    public Result execute(boolean resume) {
        try {
            Result r = loop(resume);
            folder.setStatus("completed");
            return r;
        } catch (RuntimeException | Error e) {
            folder.setStatus("failed: " + e.getMessage());
            throw e;
        }
    }

    private Result loop(boolean resume) {
        RunConfig cfg = experiment.config();
        RunConfig.Train t = cfg.train();
        Device device = Experiment.device(cfg.runtime());
        long started = System.nanoTime();
        try (NDManager root = NDManager.newBaseManager(device, "PyTorch")) {
            SegmentationNet net = experiment.buildNet(root, device);
            GroupedOptimizer optimizer = GroupedOptimizer.create(t.optimizer(), root, net.getParameters(),
                    net.encoderParameters());
            Path latest = folder.checkpoints().resolve(Checkpoint.LATEST);
            Checkpoint.State state = new Checkpoint.State(0, -1, -1);
            if (resume && Files.exists(latest)) {
                state = Checkpoint.load(latest, root, net, optimizer);
                console.println("resuming " + folder.dir() + " at step " + state.step() + " of " + t.iterations());
            }
            PolySchedule poly = new PolySchedule(t.iterations(), t.optimizer().polyPower());
            SupervisedStep stepper = new SupervisedStep(net, experiment.supervisedLoss(), optimizer, root);
            Evaluator evaluator = new Evaluator(net, net.outputStride(), experiment.numClasses(), device);
            long firstStep = state.step();
            double bestMiou = state.bestMiou();
            long bestStep = state.bestStep();
            double lastMiou = Double.NaN;
            float[] lastLoss = {Float.NaN};
            ConsoleProgress bar = ConsoleProgress.stderr().status(() -> String.format("loss %.4f", lastLoss[0]));
            bar.start("train", t.iterations());
            bar.resumeAt(firstStep);
            long loopStart = System.nanoTime();
            try (MetricsLog metrics = folder.metrics(firstStep);
                    DataStreams.Labeled labeled = DataStreams.labeled(experiment, firstStep)) {
                for (long step = firstStep; step < t.iterations(); step++) {
                    Batch batch = labeled.next();
                    double lr = t.optimizer().lr() * poly.factor(step);
                    float lossValue;
                    try {
                        lossValue = stepper.run(batch, lr, new TrainingClock(step, t.iterations()), stepSeed(cfg.seed(), step));
                    } catch (SupervisedStep.NonFiniteLossException e) {
                        throw new SslsegException(e.getMessage() + "; the last good checkpoint is kept in "
                                + folder.checkpoints(), e);
                    }
                    lastLoss[0] = lossValue;
                    long done = step + 1;
                    boolean last = done == t.iterations();
                    if (done % t.logEvery() == 0 || last) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("step", done);
                        m.put("loss_sup", lossValue);
                        m.put("lr", lr);
                        m.put("seconds", (System.nanoTime() - started) / 1e9);
                        metrics.write(m);
                    }
                    if (done % t.evalEvery() == 0 || last) {
                        ConfusionMatrix cm = evaluate(experiment, evaluator, root, ConsoleProgress.stderr());
                        lastMiou = cm.meanIou();
                        metrics.write(evalRecord(done, cm));
                        if (lastMiou > bestMiou) {
                            bestMiou = lastMiou;
                            bestStep = done;
                            Checkpoint.save(folder.checkpoints().resolve(Checkpoint.BEST), net, null,
                                    new Checkpoint.State(done, bestMiou, bestStep));
                        }
                        console.printf("step %d: val mIoU %.4f (best %.4f at step %d)%n", done, lastMiou, bestMiou, bestStep);
                    }
                    if (done % t.checkpointEvery() == 0 || last) {
                        Checkpoint.save(latest, net, optimizer, new Checkpoint.State(done, bestMiou, bestStep));
                    }
                    bar.advance(1);
                }
            }
            bar.done();
            double loopSeconds = (System.nanoTime() - loopStart) / 1e9;
            long steps = t.iterations() - firstStep;
            Result result = new Result(t.iterations(), lastMiou, bestMiou, bestStep, (System.nanoTime() - started) / 1e9,
                    steps / Math.max(loopSeconds, 1e-9), peakRssMb());
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("steps", result.steps());
            summary.put("final_miou", result.finalMiou());
            summary.put("best_miou", result.bestMiou());
            summary.put("best_step", result.bestStep());
            summary.put("seconds_this_session", result.seconds());
            summary.put("steps_per_second", result.stepsPerSecond());
            summary.put("peak_rss_mb", result.peakRssMb());
            summary.put("device", device.toString());
            folder.writeSummary(summary);
            return result;
        }
    }

    /** Evaluates on the whole val split. */
    public static ConfusionMatrix evaluate(Experiment experiment, Evaluator evaluator, NDManager root, ConsoleProgress bar) {
        try (DataStreams.Eval val = DataStreams.val(experiment)) {
            return evaluator.evaluate(root, val, val.images(), bar);
        }
    }

    public static Map<String, Object> evalRecord(long step, ConfusionMatrix cm) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("split", "val");
        m.put("miou", cm.meanIou());
        m.put("pixel_accuracy", cm.pixelAccuracy());
        m.put("iou", Arrays.stream(cm.iou()).boxed().toList());
        return m;
    }

    /** The engine's random state for a step depends only on (seed, step): a resumed run draws the same. */
    static int stepSeed(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) ((z ^ (z >>> 31)) & 0x7FFFFFFF);
    }

    /** Peak resident memory of this process (Linux VmHWM), in MiB; -1 where unknown. */
    public static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
