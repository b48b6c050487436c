package io.sslseg.platform.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.DataException;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.voc.VocImages;
import io.sslseg.api.data.voc.VocLayout;
import io.sslseg.api.data.voc.VocLists;
import io.sslseg.platform.export.ExportMetadata;
import io.sslseg.platform.console.ConsoleProgress;
import io.sslseg.platform.eval.ConfusionMatrix;
import io.sslseg.platform.eval.Evaluator;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.RunConfig;
import io.sslseg.platform.train.SegmentationNet;
import io.sslseg.platform.train.TrainedNetwork;
import io.sslseg.platform.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a run's checkpoint, or an exported model, on the val split of the run's dataset or on"
                + " any VOC-shaped folder: mIoU, pixel accuracy, per-class IoU.",
            "With --data, the folder's classes.txt must name the model's classes in the same order (nothing is"
                + " remapped), and images of any size are padded at their edges as 'predict' does."})
final class EvalCommand implements Callable<Integer> {
    @ParentCommand
    SslsegCli cli;

    @Parameters(paramLabel = "RUN_DIR", arity = "0..1", description = "A run folder written by 'sslseg train'.")
    Path runDir;

    @Option(names = "--model", paramLabel = "FILE", description = "A model written by 'sslseg export' (needs --data).")
    Path model;

    @Option(names = "--data", paramLabel = "VOC_ROOT",
            description = "A VOC-shaped folder to evaluate on instead of the run's dataset.")
    Path data;

    @Option(names = "--split", paramLabel = "NAME|FILE", defaultValue = "val",
            description = "With --data: a list in ImageSets/Segmentation (NAME.txt) or a list file (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--engine", paramLabel = "pytorch|onnxruntime",
            description = "With --data: the runtime (default: pytorch for RUN_DIR, onnxruntime for --model).")
    String engine;

    @Option(names = "--checkpoint", paramLabel = "best|latest", defaultValue = "best", description = "best or latest (default: ${DEFAULT-VALUE}).")
    String which;

    // A run trained on a GPU must stay evaluable on a machine without one.
    @Option(names = "--device", paramLabel = "auto|cpu|gpu", description = "auto, cpu or gpu (default: the run's runtime.device).")
    String deviceOverride;

    @Override
    public Integer call() throws IOException {
        if ((runDir == null) == (model == null)) {
            throw new SslsegException("give a RUN_DIR or --model FILE, one of them");
        }
        if (data != null) {
            return evaluateFolder();
        }
        if (model != null) {
            throw new SslsegException("--model needs --data VOC_ROOT: an exported model carries no dataset");
        }
        if (engine != null) {
            throw new SslsegException("--engine applies to --data; a run's own val split is evaluated on the PyTorch engine");
        }
        String file = TrainedNetwork.checkpointFile(which);
        LoadedRun run = LoadedRun.open(cli, runDir);
        RunConfig rc = run.config();
        Experiment experiment = run.experiment();
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
            TrainedNetwork trained = TrainedNetwork.load(run.folder(), experiment, file, null, root, device);
            SegmentationNet net = trained.net();
            Evaluator evaluator = new Evaluator(net, net.outputStride(), experiment.numClasses(), device);
            ConfusionMatrix cm = TrainingRun.evaluate(experiment, evaluator, root, ConsoleProgress.stderr());
            List<String> names = experiment.data().info().classNames();
            cli.out.printf("checkpoint %s (step %d, %s), evaluated on %s%n", file, trained.state().step(), trained.model(),
                    device);
            print(cm, names);
        }
        return 0;
    }

    private void print(ConfusionMatrix cm, List<String> names) {
        double[] iou = cm.iou();
        for (int c = 0; c < iou.length; c++) {
            cli.out.printf("  %-14s IoU %.4f%n", names.get(c), iou[c]);
        }
        cli.out.printf("pixel accuracy %.4f%nmIoU %.4f%n", cm.pixelAccuracy(), cm.meanIou());
    }

    /** Evaluates on a VOC-shaped folder, image by image at each image's own size. */
    private int evaluateFolder() throws IOException {
        VocLayout layout = VocLayout.locate(data);
        Path listFile = Files.isRegularFile(Path.of(split)) ? Path.of(split) : layout.list(split);
        if (!Files.isRegularFile(listFile)) {
            throw new DataException(listFile, "no such list (--split names ImageSets/Segmentation/NAME.txt or a file)");
        }
        VocLists.Listing listing = VocLists.read(listFile);
        if (!listing.rejected().isEmpty()) {
            throw new DataException(listFile, listing.rejected().size() + " unusable lines, e.g. " + listing.rejected().get(0));
        }
        if (listing.entries().isEmpty()) {
            throw new DataException(listFile, "lists no image");
        }
        if (!Files.isRegularFile(layout.classes())) {
            throw new DataException(layout.classes(), "missing: --data needs the folder's class names, one per line in"
                    + " id order, background first, to check them against the model's");
        }
        List<String> folderClasses = VocLists.readLines(layout.classes()).stream().map(String::trim)
                .filter(l -> !l.isEmpty()).toList();
        String runtime = OpenedSegmenter.engine(engine, model != null);
        try (OpenedSegmenter opened = OpenedSegmenter.open(cli, runDir, model, which, runtime, 0);
                NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ExportMetadata md = opened.segmenter().metadata();
            if (!folderClasses.equals(md.classNames())) {
                throw new DataException(layout.classes(), "names " + folderClasses + ", but the model's classes are "
                        + md.classNames() + "; the folder must use the model's classes in the same order (sslseg does"
                        + " not remap classes)");
            }
            ConfusionMatrix cm = new ConfusionMatrix(md.numClasses());
            ConsoleProgress progress = ConsoleProgress.stderr();
            progress.start("eval", listing.entries().size());
            for (VocLists.Entry e : listing.entries()) {
                Path imageFile = e.image() != null ? layout.resolveInside(e.image()) : find(layout, e.id(), true);
                Path maskFile = e.mask() != null ? layout.resolveInside(e.mask()) : find(layout, e.id(), false);
                RgbImage image = VocImages.readRgb(imageFile);
                LabelMask truth = VocImages.readMask(maskFile);
                if (truth.width() != image.width() || truth.height() != image.height()) {
                    throw new DataException(maskFile, truth.width() + "x" + truth.height() + " does not match its image "
                            + imageFile + " (" + image.width() + "x" + image.height() + ")");
                }
                String unknown = LabelMask.unknownValues(truth.histogram(), md.numClasses());
                if (unknown != null) {
                    throw new DataException(maskFile, unknown);
                }
                try (NDManager scratch = root.newSubManager()) {
                    cm.add(PredictCommand.predict(opened.segmenter(), md, image, scratch), truth);
                }
                progress.advance(1);
            }
            progress.done();
            cli.out.printf("%s on %s (%d images, %s), %s%n", opened.description(), listFile, listing.entries().size(),
                    runtime, "each at its own size");
            print(cm, md.classNames());
        }
        return 0;
    }

    /** An entry's image (JPEGImages/ID.jpg or .png) or mask (SegmentationClass/ID.png, else SegmentationClassAug/). */
    private static Path find(VocLayout layout, String id, boolean image) {
        List<Path> candidates = image
                ? List.of(layout.images().resolve(id + ".jpg"), layout.images().resolve(id + ".png"))
                : List.of(layout.masks().resolve(id + ".png"), layout.augMasks().resolve(id + ".png"));
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() -> new DataException(
                candidates.get(0), "not found (nor " + candidates.get(1) + ")"));
    }
}
