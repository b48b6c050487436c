package io.sslseg.platform.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.NonFiniteException;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.Split;
import io.sslseg.api.data.SplitMix64;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.api.nn.Layers;
import io.sslseg.platform.console.ConsoleProgress;
import io.sslseg.platform.data.Batch;
import io.sslseg.platform.data.BatchStream;
import io.sslseg.platform.eval.ConfusionMatrix;
import io.sslseg.platform.eval.Evaluator;
import io.sslseg.platform.eval.ValExample;
import io.sslseg.platform.run.MetricsLog;
import io.sslseg.platform.run.RunEnvironment;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.platform.run.TensorBoardLog;
import io.sslseg.platform.weak.PseudoLabelStage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The training loop: one batch per split per step, the step's losses, backward, optimizer step with the
 * poly schedule; validation, metrics and checkpoints at their intervals. A run folder's status says
 * {@code completed} only at the end, and a failure leaves the last good checkpoint.
 */
public final class TrainingRun {

    public record Result(long steps, double finalMiou, double bestMiou, long bestStep, double seconds,
            double stepsPerSecond, long peakRssMb) {}

    /** The run folder's pseudo-label stage output, made before step 1 by runs that draw the weak split. */
    public static final String PSEUDO_LABELS = "pseudo-labels";

    /** The run folder's folder for the loss terms' own files, one sub-folder per term. */
    public static final String TERMS = "terms";

    private final Experiment experiment;
    private final RunFolder folder;
    private final PrintStream console;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    public TrainingRun(Experiment experiment, RunFolder folder, PrintStream console) {
        this.experiment = experiment;
        this.folder = folder;
        this.console = console;
    }

    public Result execute(boolean resume) {
        try {
            // a resumed run is running again: its old "interrupted" or "failed" must not outlive this process (a
            // kill -9 now has to read as crashed, and `sslseg runs` has to show it running)
            folder.setStatus("running");
            RunEnvironment.append(folder, Experiment.device(experiment.config().runtime()), resume);
            Result r = replayingTransientFaults(resume);
            folder.setStatus("completed");
            return r;
        } catch (Interrupted e) {
            folder.setStatus("interrupted: " + e.getMessage());
            throw e;
        } catch (RuntimeException | Error e) {
            folder.setStatus("failed: " + e.getMessage());
            throw e;
        }
    }

    /**
     * Asks the loop to stop at the end of the step it is in (from another thread: a SIGTERM or SIGINT handler): it
     * writes a checkpoint there, sets the status to {@code interrupted} and {@link #execute} throws.
     */
    public void requestStop() {
        stopRequested.set(true);
    }

    /** The run stopped at a step boundary on request, its checkpoint written. */
    public static final class Interrupted extends SslsegException {
        Interrupted(String message) {
            super(message);
        }
    }

    /** NaN faults a run replays from its last checkpoint before it gives up. */
    static final int MAX_REPLAYS = 3;

    /**
     * The loop, replayed from the last checkpoint after a NaN or infinity. Resume is exact, so a replay computes
     * what the first attempt should have: a fault it reproduces (at the same step) is real (a learning rate too
     * high, bad data) and stops the run; one it does not was transient and costs only the replayed steps. The
     * replayed run's weights and metrics are those of a run that never faulted.
     */
    private Result replayingTransientFaults(boolean resume) {
        long lastFault = -1;
        for (int replays = 0; ; replays++) {
            try {
                return loop(resume);
            } catch (NonFiniteException e) {
                boolean reproduced = e.step() == lastFault;
                if (reproduced || replays == MAX_REPLAYS) {
                    throw new SslsegException(e.getMessage() + (reproduced ? " again on replay" : "")
                            + "; training stopped (lower train.optimizer.lr, or check the data); the last good"
                            + " checkpoint is kept in " + folder.checkpoints(), e);
                }
                lastFault = e.step();
                console.println("sslseg: warning: " + e.getMessage() + "; replaying from the last checkpoint ("
                        + (replays + 1) + " of " + MAX_REPLAYS + ")");
                resume = true;
            }
        }
    }

    /**
     * One training session: build, restore (or initialise), then per step: train, log, evaluate, checkpoint; last the
     * summary. Each phase is a method below, in that order.
     */
    private Result loop(boolean resume) {
        RunConfig cfg = experiment.config();
        RunConfig.Train t = cfg.train();
        Device device = Experiment.device(cfg.runtime());
        long started = System.nanoTime();
        try (NDManager root = NDManager.newBaseManager(device, "PyTorch")) {
            Experiment.Training training = experiment.training(root, device, folder.dir().resolve(TERMS));
            Experiment.Built model = training.model();
            Map<Split, SampleList> extraSamples = extraSplits(model, root);
            Checkpoint.State state = restoreOrInitialise(model, training.optimizer(), root, device, resume);
            PolySchedule poly = new PolySchedule(t.iterations(), t.optimizer().polyPower());
            SegmentationNet evaluated = model.evaluated();
            Evaluator evaluator = new Evaluator(evaluated, evaluated.outputStride(), experiment.numClasses(), device);
            Standing standing = new Standing(state);
            double[] lastLoss = {Double.NaN};
            ConsoleProgress bar = ConsoleProgress.stderr().status(() -> String.format("loss %.4f", lastLoss[0]));
            bar.start("train", t.iterations());
            bar.resumeAt(state.step());
            long loopStart = System.nanoTime();
            Map<Split, BatchStream> streams = new EnumMap<>(Split.class);
            try (MetricsLog metrics = folder.metrics(state.step(), m -> console.println("sslseg: warning: " + m));
                    TensorBoardLog tensorBoard = TensorBoardLog.open(folder.dir(), resume ? state.step() : -1)) {
                metrics.mirrorTo(tensorBoard::scalars);
                streams.put(Split.LABELED, DataStreams.labeled(experiment, state.step()));
                extraSamples.forEach((s, samples) -> streams.put(s, DataStreams.extra(experiment, s, samples, state.step())));
                for (long step = state.step(); step < t.iterations(); step++) {
                    Map<Split, Batch> batches = new EnumMap<>(Split.class);
                    streams.forEach((split, stream) -> batches.put(split, stream.next()));
                    double lr = t.optimizer().lr() * poly.factor(step);
                    Map<String, Double> logged = training.step().run(batches, lr, new TrainingClock(step, t.iterations()),
                            mix(cfg.seed(), step));
                    lastLoss[0] = logged.get("loss_total");
                    long done = step + 1;
                    boolean last = done == t.iterations();
                    if (done % t.logEvery() == 0 || last) {
                        logStep(metrics, done, logged, lr, started);
                    }
                    if (done % t.evalEvery() == 0 || last) {
                        evaluateAndKeepBest(done, standing, evaluator, evaluated, metrics, tensorBoard, root);
                    }
                    checkpointOrStop(done, last, standing, model, training.optimizer());
                    bar.advance(1);
                }
            } finally {
                streams.values().forEach(BatchStream::close);
            }
            bar.done();
            if (Double.isNaN(standing.lastMiou)) {
                // resumed from a checkpoint at the last step (killed before its summary): evaluate once more
                standing.lastMiou = evaluate(experiment, evaluator, root, ConsoleProgress.stderr()).meanIou();
            }
            double loopSeconds = (System.nanoTime() - loopStart) / 1e9;
            Result result = new Result(t.iterations(), standing.lastMiou, standing.bestMiou, standing.bestStep,
                    (System.nanoTime() - started) / 1e9, (t.iterations() - state.step()) / Math.max(loopSeconds, 1e-9),
                    peakRssMb());
            writeSummary(result, model, device);
            return result;
        }
    }

    /** Where the run stands between steps: the best evaluation so far and the last one. */
    private static final class Standing {
        double bestMiou;
        long bestStep;
        double lastMiou = Double.NaN;

        Standing(Checkpoint.State restored) {
            bestMiou = restored.bestMiou();
            bestStep = restored.bestStep();
        }
    }

    /** The samples of each extra split the loss terms read, the weak split with its pixel pseudo-labels made first. */
    private Map<Split, SampleList> extraSplits(Experiment.Built model, NDManager root) {
        Map<Split, SampleList> extraSamples = new EnumMap<>(Split.class);
        for (Split s : experiment.extraSplits(model.terms())) {
            extraSamples.put(s, experiment.data().split(s));
        }
        if (experiment.pseudoLabeledSplits(model.terms()).contains(Split.WEAK)) {
            // a term asked for the weak split's pixel pseudo-labels: made from the tags before step 1
            Path dir = folder.dir().resolve(PSEUDO_LABELS);
            PseudoLabelStage.ensure(experiment, dir, root, console);
            extraSamples.put(Split.WEAK, PseudoLabelStage.withPseudoLabels(experiment.data().split(Split.WEAK), dir));
        }
        return extraSamples;
    }

    /**
     * The state training starts from: the newest intact checkpoint when resuming, else step 0 with the weights of
     * {@code initFrom} if the config names one. A latest.ckpt is written at once if none exists, so that a fault
     * before the first checkpoint has a state to replay from.
     */
    private Checkpoint.State restoreOrInitialise(Experiment.Built model, GroupedOptimizer optimizer, NDManager root,
            Device device, boolean resume) {
        RunConfig cfg = experiment.config();
        Path latest = folder.checkpoints().resolve(Checkpoint.LATEST);
        Checkpoint.State state = new Checkpoint.State(0, -1, -1);
        Path resumeFrom = resume
                ? Checkpoint.newestIntact(folder.checkpoints(), m -> console.println("sslseg: warning: " + m)) : null;
        if (resumeFrom != null) {
            state = Checkpoint.load(resumeFrom, root, model.blocks(), optimizer, model.terms());
            console.println("resuming " + folder.dir() + " at step " + state.step() + " of " + cfg.train().iterations()
                    + (resumeFrom.equals(latest) ? "" : " (from " + resumeFrom.getFileName() + ")"));
        } else if (!cfg.initFrom().isEmpty()) {
            InitialWeights.Transfer w = InitialWeights.apply(experiment, Path.of(cfg.initFrom()), model.net(), root, device);
            console.println("initial weights: " + w.copied() + " parameters from " + w.checkpoint() + " (step "
                    + w.sourceStep() + ")" + (w.unused().isEmpty() ? "" : "; not used here: " + w.unused()));
            if (model.teacher() != null) {
                model.teacher().copyFromStudent(); // the teacher starts where the student starts
            }
        }
        if (!Files.exists(latest)) {
            Checkpoint.saveLatest(latest, model.blocks(), optimizer, model.terms(), state);
        }
        return state;
    }

    private static void logStep(MetricsLog metrics, long done, Map<String, Double> logged, double lr, long started) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", done);
        m.putAll(logged);
        m.put("lr", lr);
        m.put("seconds", (System.nanoTime() - started) / 1e9);
        metrics.write(m);
    }

    /** Validation at step {@code done}: metrics, TensorBoard images, best.ckpt when it is the best so far. */
    private void evaluateAndKeepBest(long done, Standing standing, Evaluator evaluator, SegmentationNet evaluated,
            MetricsLog metrics, TensorBoardLog tensorBoard, NDManager root) {
        ConfusionMatrix cm;
        try {
            cm = evaluate(experiment, evaluator, root, ConsoleProgress.stderr());
        } catch (NonFiniteException e) {
            throw new NonFiniteException(done, "validation: " + e.getMessage());
        }
        standing.lastMiou = cm.meanIou();
        metrics.write(evalRecord(done, cm));
        logExamples(tensorBoard, done, evaluator, root);
        if (standing.lastMiou > standing.bestMiou) {
            standing.bestMiou = standing.lastMiou;
            standing.bestStep = done;
            Checkpoint.save(folder.checkpoints().resolve(Checkpoint.BEST), evaluated,
                    new Checkpoint.State(done, standing.bestMiou, standing.bestStep));
        }
        console.printf("step %d: val mIoU %.4f (best %.4f at step %d)%n", done, standing.lastMiou, standing.bestMiou,
                standing.bestStep);
    }

    /** latest.ckpt every checkpointEvery steps, at the last step and when a stop was asked for; then the stop. */
    private void checkpointOrStop(long done, boolean last, Standing standing, Experiment.Built model,
            GroupedOptimizer optimizer) {
        RunConfig.Train t = experiment.config().train();
        boolean stop = stopRequested.get() && !last;
        if (done % t.checkpointEvery() == 0 || last || stop) {
            Checkpoint.saveLatest(folder.checkpoints().resolve(Checkpoint.LATEST), model.blocks(), optimizer,
                    model.terms(), new Checkpoint.State(done, standing.bestMiou, standing.bestStep));
        }
        if (stop) {
            throw new Interrupted("stopped at step " + done + " of " + t.iterations() + " by a signal"
                    + ", checkpoint written; continue with: sslseg train --resume " + folder.dir());
        }
    }

    private void writeSummary(Result result, Experiment.Built model, Device device) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("steps", result.steps());
        summary.put("final_miou", result.finalMiou());
        summary.put("best_miou", result.bestMiou());
        summary.put("best_step", result.bestStep());
        summary.put("seconds_this_session", result.seconds());
        summary.put("steps_per_second", result.stepsPerSecond());
        summary.put("peak_rss_mb", result.peakRssMb());
        summary.put("network_parameters", Layers.trainableParameterCount(model.net()));
        summary.put("trainable_parameters", model.trainableParameters()); // with the loss terms' own blocks
        summary.put("device", device.toString());
        folder.writeSummary(summary);
    }

    /** Val images shown in TensorBoard at each evaluation. */
    static final int TENSORBOARD_EXAMPLES = 3;

    /** The first val images, with truth and prediction side by side, as TensorBoard images at {@code step}. */
    private void logExamples(TensorBoardLog tensorBoard, long step, Evaluator evaluator, NDManager root) {
        List<ValExample> examples = ValExample.predict(experiment, evaluator, root, TENSORBOARD_EXAMPLES);
        for (int i = 0; i < examples.size(); i++) {
            java.awt.image.BufferedImage im = examples.get(i).sideBySide();
            tensorBoard.image(step, "val/example_" + i + " (image | truth | prediction)", im.getWidth(), im.getHeight(),
                    ValExample.png(im));
        }
    }

    /** Evaluates on the whole val split. */
    public static ConfusionMatrix evaluate(Experiment experiment, Evaluator evaluator, NDManager root, ConsoleProgress bar) {
        try (BatchStream val = DataStreams.val(experiment)) {
            return evaluator.evaluate(root, val, experiment.data().split(Split.VAL).size(), bar);
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

    /** SplitMix64 of (seed, stream): per-step random state that a resumed run reproduces. */
    public static long mix(long seed, long stream) {
        return SplitMix64.mix(seed * 0x9E3779B97F4A7C15L + stream + 0x632BE59BD9B4E019L);
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
