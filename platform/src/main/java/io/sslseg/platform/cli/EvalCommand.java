package io.sslseg.platform.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.SslsegException;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.console.ConsoleProgress;
import io.sslseg.platform.eval.ConfusionMatrix;
import io.sslseg.platform.eval.Evaluator;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.platform.train.Checkpoint;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.RunConfig;
import io.sslseg.platform.train.SegmentationNet;
import io.sslseg.platform.train.TrainingRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a run's checkpoint on the val split: mIoU, pixel accuracy, per-class IoU.")
final class EvalCommand implements Callable<Integer> {
    @ParentCommand
    SslsegCli cli;

    @Parameters(paramLabel = "RUN_DIR", description = "A run folder written by 'sslseg train'.")
    Path runDir;

    @Option(names = "--checkpoint", defaultValue = "best", description = "best or latest (default: ${DEFAULT-VALUE}).")
    String which;

    // A run trained on a GPU must stay evaluable on a machine without one.
    @Option(names = "--device", description = "auto, cpu or gpu (default: the run's runtime.device).")
    String deviceOverride;

    @Override
    public Integer call() {
        String file = switch (which) {
            case "best" -> Checkpoint.BEST;
            case "latest" -> Checkpoint.LATEST;
            default -> throw new SslsegException("--checkpoint must be best or latest, got '" + which + "'");
        };
        RunFolder folder = RunFolder.open(runDir);
        Map<String, Object> tree = ConfigTree.fromYaml(folder.readConfig());
        RunConfig rc = Experiment.bindRunConfig(cli.binder(), tree);
        cli.startEngine(rc.runtime().threads());
        Experiment experiment = Experiment.resolve(tree, cli.plugins().catalog(), SslsegCli.cacheDir());
        RunConfig.Runtime runtime = rc.runtime();
        if (deviceOverride != null) {
            try {
                runtime = new RunConfig.Runtime(runtime.threads(), deviceOverride);
            } catch (IllegalArgumentException e) {
                throw new SslsegException("--device: " + e.getMessage());
            }
        }
        Device device;
        try {
            device = Experiment.device(runtime);
        } catch (SslsegException e) {
            throw deviceOverride != null ? e
                    : new SslsegException(e.getMessage() + " (the run's config; pass --device cpu to evaluate on the CPU)");
        }
        try (NDManager root = NDManager.newBaseManager(device, "PyTorch")) {
            SegmentationNet net;
            Checkpoint.State state;
            Path checkpoint = folder.checkpoints().resolve(file);
            if (file.equals(Checkpoint.LATEST) && rc.eval().model().equals(RunConfig.Eval.TEACHER)) {
                // latest.ckpt holds the student, the terms' blocks and then the teacher: read them all
                Experiment.Built model = experiment.build(root, device);
                state = Checkpoint.load(checkpoint, root, model.blocks(), null);
                net = model.evaluated();
            } else {
                // best.ckpt holds the evaluated network alone; latest.ckpt starts with the student
                net = experiment.buildNet(root, device);
                state = Checkpoint.load(checkpoint, root, List.of(net), null);
            }
            Evaluator evaluator = new Evaluator(net, net.outputStride(), experiment.numClasses(), device);
            ConfusionMatrix cm = TrainingRun.evaluate(experiment, evaluator, root, ConsoleProgress.stderr());
            List<String> names = experiment.data().info().classNames();
            cli.out.printf("checkpoint %s (step %d, %s), evaluated on %s%n", file, state.step(), rc.eval().model(), device);
            double[] iou = cm.iou();
            for (int c = 0; c < iou.length; c++) {
                cli.out.printf("  %-14s IoU %.4f%n", names.get(c), iou[c]);
            }
            cli.out.printf("pixel accuracy %.4f%nmIoU %.4f%n", cm.pixelAccuracy(), cm.meanIou());
        }
        return 0;
    }
}
