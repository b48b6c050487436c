package io.sslseg.platform.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.SslsegException;
import io.sslseg.platform.run.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A run's network read back from one of its checkpoints, as {@code eval}, {@code export} and {@code predict} use it.
 * {@code best.ckpt} holds the network that {@code eval.model} chose (student or teacher) and nothing else;
 * {@code latest.ckpt} holds the student, the loss terms' blocks and, last, the teacher.
 *
 * @param checkpoint {@link Checkpoint#BEST} or {@link Checkpoint#LATEST}
 * @param model {@link RunConfig.Eval#STUDENT} or {@link RunConfig.Eval#TEACHER}
 */
public record TrainedNetwork(SegmentationNet net, Checkpoint.State state, String checkpoint, String model) {

    /** The checkpoint file named by a command's {@code --checkpoint best|latest}. */
    public static String checkpointFile(String which) {
        return switch (which) {
            case "best" -> Checkpoint.BEST;
            case "latest" -> Checkpoint.LATEST;
            default -> throw new SslsegException("--checkpoint must be best or latest, got '" + which + "'");
        };
    }

    /**
     * The checkpoint a run's predictions are shown from: best.ckpt, or latest.ckpt while the run has no best yet, or
     * null while it has neither.
     */
    public static String bestOrLatest(RunFolder folder) {
        return bestOrLatest(folder.checkpoints());
    }

    /** The same for a run's checkpoints folder, which need not belong to an opened run ({@code --init-from}). */
    public static String bestOrLatest(Path checkpoints) {
        for (String file : new String[] {Checkpoint.BEST, Checkpoint.LATEST}) {
            if (Files.isRegularFile(checkpoints.resolve(file))) {
                return file;
            }
        }
        return null;
    }

    /**
     * Builds the run's network on {@code root}'s device and loads {@code checkpoint} into it.
     *
     * @param model the network wanted, or null for the run's {@code eval.model}
     */
    public static TrainedNetwork load(RunFolder folder, Experiment experiment, String checkpoint, String model,
            NDManager root, Device device) {
        String evaluated = experiment.config().eval().model();
        String wanted = model == null ? evaluated : model;
        if (!wanted.equals(RunConfig.Eval.STUDENT) && !wanted.equals(RunConfig.Eval.TEACHER)) {
            throw new SslsegException("--model must be student or teacher, got '" + wanted + "'");
        }
        Path file = folder.checkpoints().resolve(checkpoint);
        boolean best = checkpoint.equals(Checkpoint.BEST);
        if (best && !wanted.equals(evaluated)) {
            throw new SslsegException("--model " + wanted + ": " + file + " holds the " + evaluated
                    + " (the run's eval.model); the " + wanted + " is in latest.ckpt (--checkpoint latest)");
        }
        if (best || wanted.equals(RunConfig.Eval.STUDENT)) {
            // best.ckpt holds that one network; the student comes first in latest.ckpt, so reading it alone is enough
            SegmentationNet net = experiment.buildNet(root, device);
            return new TrainedNetwork(net, Checkpoint.load(file, root, List.of(net), null), checkpoint, wanted);
        }
        Experiment.Built built = experiment.build(root, device);
        if (built.teacher() == null) {
            throw new SslsegException("--model teacher: the run " + folder.dir() + " has no EMA teacher (none of its"
                    + " loss terms keeps one)");
        }
        Checkpoint.State state = Checkpoint.load(file, root, built.blocks(), null);
        return new TrainedNetwork(built.teacher().net(), state, checkpoint, wanted);
    }
}
