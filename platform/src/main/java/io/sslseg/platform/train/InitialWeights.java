package io.sslseg.platform.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.sslseg.api.SslsegException;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.run.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Continual training: a new run's network starts from the weights of another run's checkpoint. The source
 * network is rebuilt from that run's own config.yaml, its checkpoint loaded, and every parameter of the new
 * network (encoder and main decoder, running statistics included) copied by name. A parameter the source
 * lacks or holds in another shape is an error; source parameters the new network does not use are listed.
 */
public final class InitialWeights {
    private InitialWeights() {}

    /** What was copied and what the source had beyond it. */
    public record Transfer(Path checkpoint, long sourceStep, int copied, List<String> unused) {}

    /**
     * The checkpoint a run folder offers: its best one (by val mIoU), else its latest; a checkpoint file
     * given directly is used as is.
     */
    public static Path checkpointOf(Path runOrCheckpoint) {
        if (Files.isRegularFile(runOrCheckpoint)) {
            return runOrCheckpoint.toAbsolutePath().normalize();
        }
        Path dir = runOrCheckpoint.resolve(RunFolder.CHECKPOINTS);
        String name = TrainedNetwork.bestOrLatest(dir);
        if (name != null) {
            return dir.resolve(name).toAbsolutePath().normalize();
        }
        throw new SslsegException("--init-from " + runOrCheckpoint + ": not a run folder with a checkpoint ("
                + RunFolder.CHECKPOINTS + "/" + Checkpoint.BEST + " or " + Checkpoint.LATEST + ") nor a checkpoint file");
    }

    /** Copies the source checkpoint's network weights into {@code target} (a freshly built network). */
    public static Transfer apply(Experiment experiment, Path checkpoint, SegmentationNet target, NDManager manager,
            Device device) {
        Path config = checkpoint.getParent().resolveSibling(RunFolder.CONFIG);
        String yaml;
        try {
            yaml = Files.readString(config);
        } catch (IOException e) {
            throw new SslsegException("initFrom " + checkpoint + ": cannot read the run's " + config
                    + " (needed to rebuild the network the weights belong to)");
        }
        Experiment source = experiment.withConfig(ConfigTree.fromYaml(yaml), "initFrom " + config);
        Checkpoint.State state;
        Map<String, Parameter> from = new LinkedHashMap<>();
        try (NDManager scratch = manager.newSubManager()) {
            SegmentationNet net = source.buildNet(scratch, device);
            state = Checkpoint.load(checkpoint, scratch, List.of(net), null);
            net.getParameters().forEach(p -> from.put(p.getKey(), p.getValue()));
            List<String> problems = new ArrayList<>();
            int copied = 0;
            for (Pair<String, Parameter> p : target.getParameters()) {
                Parameter src = from.remove(p.getKey());
                if (src == null) {
                    problems.add(p.getKey() + " is missing");
                } else if (!src.getArray().getShape().equals(p.getValue().getArray().getShape())) {
                    problems.add(p.getKey() + " is " + src.getArray().getShape() + " there, "
                            + p.getValue().getArray().getShape() + " here");
                } else {
                    // in place: the optimizer and the gradient flag keep pointing at the same arrays
                    p.getValue().getArray().set(src.getArray().toByteBuffer());
                    copied++;
                }
            }
            if (!problems.isEmpty()) {
                throw new SslsegException("initFrom " + checkpoint + ": the network does not fit this run's model ("
                        + problems.size() + " parameters): " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                        + (problems.size() > 5 ? "; ..." : ""));
            }
            return new Transfer(checkpoint, state.step(), copied, List.copyOf(from.keySet()));
        }
    }
}
