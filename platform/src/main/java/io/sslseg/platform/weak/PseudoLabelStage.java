package io.sslseg.platform.weak;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sslseg.api.ComponentResolver;
import io.sslseg.api.Progress;
import io.sslseg.api.AtomicFiles;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.Split;
import io.sslseg.api.data.voc.VocImages;
import io.sslseg.api.data.voc.VocWriter;
import io.sslseg.api.nn.Updater;
import io.sslseg.api.weak.PseudoLabelContext;
import io.sslseg.api.weak.PseudoLabeler;
import io.sslseg.platform.data.Batch;
import io.sslseg.platform.eval.ConfusionMatrix;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.GroupedOptimizer;
import io.sslseg.platform.train.RunConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pseudo-label stage: the configured {@link PseudoLabeler} labels every weak sample, the masks are
 * stored as palette PNGs ({@code DIR/SegmentationClass/ID.png}) with a quality report ({@code DIR/quality.json})
 * against the true masks where the dataset has them. The folder is built under a temporary name and renamed
 * when complete, so a folder that exists is whole: a resumed run reuses it, a killed stage starts again.
 */
public final class PseudoLabelStage {
    public static final String MASKS = "SegmentationClass";
    public static final String QUALITY = "quality.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PseudoLabelStage() {}

    /** The quality of a set of pseudo-labels against the true masks (NaN where the dataset has none). */
    public record Quality(int images, double ignoredFraction, double miouKeptPixels, double miouIgnoredAsBackground,
            double allBackgroundMiou) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("images", images);
            m.put("ignored_fraction", ignoredFraction);
            m.put("miou_kept_pixels", miouKeptPixels);
            m.put("miou_ignored_as_background", miouIgnoredAsBackground);
            m.put("all_background_miou", allBackgroundMiou);
            return m;
        }

        public String describe() {
            return String.format("%d images, %.1f %% of pixels ignored; mIoU %.4f on kept pixels, %.4f with ignored"
                    + " pixels as background (all-background baseline %.4f)", images, 100 * ignoredFraction,
                    miouKeptPixels, miouIgnoredAsBackground, allBackgroundMiou);
        }
    }

    /** Makes the pseudo-labels of the experiment's weak split in {@code dir}, unless it is already complete. */
    public static Quality ensure(Experiment experiment, Path dir, NDManager root, PrintStream console) {
        if (Files.isDirectory(dir)) {
            console.println("pseudo-labels: reusing " + dir);
            return readQuality(dir);
        }
        Path tmp = dir.resolveSibling(dir.getFileName() + ".partial");
        if (!VocWriter.deleteTree(tmp)) {
            throw new SslsegException("cannot delete the unfinished " + tmp + "; delete it by hand");
        }
        SampleList weak = experiment.data().split(Split.WEAK);
        int numClasses = experiment.numClasses();
        ConfusionMatrix kept = new ConfusionMatrix(numClasses);
        ConfusionMatrix filled = new ConfusionMatrix(numClasses);
        ConfusionMatrix background = new ConfusionMatrix(numClasses);
        long[] ignored = {0, 0};
        boolean[] written = new boolean[weak.size()];
        try {
            Files.createDirectories(tmp.resolve(MASKS));
        } catch (IOException e) {
            throw new SslsegException("cannot create " + tmp + ": " + e.getMessage());
        }
        console.println("pseudo-labels: " + weak.size() + " weak images -> " + dir);
        try (NDManager manager = root.newSubManager()) {
            label(experiment, weak, manager, (index, mask) -> {
                Sample s = weak.load(index);
                if (mask.width() != s.image().width() || mask.height() != s.image().height()) {
                    throw new SslsegException("pseudoLabels: the labeller returned a " + mask.width() + "x" + mask.height()
                            + " mask for " + s.id() + " (" + s.image().width() + "x" + s.image().height() + ")");
                }
                VocImages.writeMask(tmp.resolve(MASKS).resolve(s.id() + ".png"), mask);
                written[index] = true;
                byte[] pseudo = mask.labels();
                for (byte b : pseudo) {
                    ignored[0] += (b & 0xFF) == LabelMask.IGNORE ? 1 : 0;
                }
                ignored[1] += pseudo.length;
                LabelMask truth = experiment.data().referenceMask(Split.WEAK, index);
                if (truth != null) {
                    score(pseudo, truth.labels(), kept, filled, background);
                }
            });
        }
        for (int i = 0; i < written.length; i++) {
            if (!written[i]) {
                throw new SslsegException("pseudoLabels: the labeller gave no label for " + weak.id(i));
            }
        }
        boolean known = kept.labeledPixels() > 0 || filled.labeledPixels() > 0;
        Quality q = new Quality(weak.size(), ignored[1] == 0 ? 0 : ignored[0] / (double) ignored[1],
                known ? kept.meanIou() : Double.NaN, known ? filled.meanIou() : Double.NaN,
                known ? background.meanIou() : Double.NaN);
        try {
            Files.writeString(tmp.resolve(QUALITY), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(q.toMap()) + "\n");
            AtomicFiles.move(tmp, dir);
        } catch (IOException e) {
            throw new SslsegException("cannot finish " + dir + ": " + e.getMessage());
        }
        console.println("pseudo-labels: " + q.describe());
        return q;
    }

    /**
     * Runs the experiment's labeller on {@code samples} as the stage does (the engine seeded from the run's seed, so
     * the labeller's initial weights and draws, and so its labels, are the same for the same config).
     */
    public static void label(Experiment experiment, SampleList samples, NDManager manager, PseudoLabeler.Sink sink) {
        PseudoLabeler labeler = experiment.pseudoLabeler();
        Engine.getEngine("PyTorch").setRandomSeed((int) experiment.config().seed());
        labeler.label(new Context(experiment, samples, manager), sink);
    }

    /** Adds one image's pseudo-label against its true mask to the three matrices the report needs. */
    static void score(byte[] pseudo, byte[] truth, ConfusionMatrix kept, ConfusionMatrix filled,
            ConfusionMatrix background) {
        int n = pseudo.length;
        int[] predicted = new int[n]; // unsure pixels as background
        byte[] keptTruth = truth.clone();
        for (int i = 0; i < n; i++) {
            int p = pseudo[i] & 0xFF;
            if (p == LabelMask.IGNORE) {
                keptTruth[i] = (byte) LabelMask.IGNORE; // left out of the kept-pixel score
            } else {
                predicted[i] = p;
            }
        }
        kept.add(predicted, keptTruth, 0, n);
        filled.add(predicted, truth, 0, n);
        background.add(new int[n], truth, 0, n);
    }

    /** The weak split with each sample's mask replaced by its stored pseudo-label (tags kept). */
    public static SampleList withPseudoLabels(SampleList weak, Path dir) {
        Path masks = dir.resolve(MASKS);
        return new SampleList() {
            @Override
            public int size() {
                return weak.size();
            }

            @Override
            public String id(int index) {
                return weak.id(index);
            }

            @Override
            public Sample load(int index) {
                Sample s = weak.load(index);
                LabelMask mask = VocImages.readMask(masks.resolve(s.id() + ".png"));
                return new Sample(s.id(), s.image(), mask, s.tags());
            }
        };
    }

    public static Quality readQuality(Path dir) {
        try {
            Map<?, ?> m = JSON.readValue(dir.resolve(QUALITY).toFile(), Map.class);
            return new Quality(((Number) m.get("images")).intValue(), number(m, "ignored_fraction"),
                    number(m, "miou_kept_pixels"), number(m, "miou_ignored_as_background"), number(m, "all_background_miou"));
        } catch (IOException | RuntimeException e) {
            throw new SslsegException(dir.resolve(QUALITY) + ": unreadable (" + e.getMessage()
                    + "); delete " + dir + " to make the pseudo-labels again");
        }
    }

    private static double number(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private record Context(Experiment experiment, SampleList samples, NDManager manager) implements PseudoLabelContext {
        @Override
        public int numClasses() {
            return experiment.numClasses();
        }

        @Override
        public ComponentResolver resolver() {
            return experiment.resolver();
        }

        @Override
        public long seed() {
            return experiment.config().seed();
        }

        @Override
        public Progress progress() {
            return io.sslseg.platform.console.ConsoleProgress.stderr();
        }

        @Override
        public Updater adamW(PairList<String, Parameter> parameters, double weightDecay) {
            RunConfig.Optimizer d = RunConfig.defaults().train().optimizer();
            return GroupedOptimizer.factory(manager).adamW(parameters, d.beta1(), d.beta2(), weightDecay);
        }

        @Override
        public NDArray images(NDManager m, List<RgbImage> images) {
            RgbImage first = images.get(0);
            int h = first.height();
            int w = first.width();
            float[] data = new float[images.size() * 3 * h * w];
            for (int i = 0; i < images.size(); i++) {
                RgbImage im = images.get(i);
                if (im.width() != w || im.height() != h) {
                    throw new IllegalArgumentException("images of one batch must share a size");
                }
                Batch.writeImage(im, data, i * 3 * h * w);
            }
            return m.create(data, new Shape(images.size(), 3, h, w));
        }
    }
}
