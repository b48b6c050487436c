package io.sslseg.platform.builtin;

import io.sslseg.api.SslsegException;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.voc.VocImages;
import io.sslseg.api.weak.PseudoLabelContext;
import io.sslseg.api.weak.PseudoLabeler;
import io.sslseg.api.weak.PseudoLabelerFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Pseudo-labels made earlier (by another run's stage, {@code sslseg pseudo-labels}, or any tool writing VOC
 * masks): reads {@code DIR/SegmentationClass/ID.png} (or {@code DIR/ID.png}) for every weak image, so several
 * runs share one labelling instead of each training its own classifier.
 */
public final class FolderPseudoLabels implements PseudoLabeler {

    /** @param dir a folder holding one mask per weak image id */
    public record Params(String dir) {
        public Params {
            dir = dir == null ? "" : dir;
        }
    }

    private final Path dir;
    private final int numClasses;

    private FolderPseudoLabels(Path dir, int numClasses) {
        this.dir = dir;
        this.numClasses = numClasses;
    }

    public static PseudoLabelerFactory<Params> factory() {
        return new PseudoLabelerFactory<>() {
            @Override
            public Class<Params> paramsType() {
                return Params.class;
            }

            @Override
            public Params defaults() {
                return new Params("");
            }

            @Override
            public String summary() {
                return "pseudo-labels read from a folder of VOC masks (another run's pseudo-labels/)";
            }

            @Override
            public PseudoLabeler create(Params params, Integer classes) {
                if (params.dir().isBlank()) {
                    throw new SslsegException("pseudoLabels.dir: required, the folder with the pseudo-label masks");
                }
                return new FolderPseudoLabels(Path.of(params.dir()), classes);
            }
        };
    }

    @Override
    public void label(PseudoLabelContext context, Sink sink) {
        if (!Files.isDirectory(dir)) {
            throw new SslsegException("pseudoLabels.dir: " + dir + " is not a folder");
        }
        SampleList samples = context.samples();
        var progress = context.progress();
        progress.start("pseudo-labels from " + dir, samples.size());
        for (int i = 0; i < samples.size(); i++) {
            String id = samples.id(i);
            Path file = dir.resolve("SegmentationClass").resolve(id + ".png");
            if (!Files.exists(file)) {
                file = dir.resolve(id + ".png");
            }
            if (!Files.exists(file)) {
                throw new SslsegException("pseudoLabels.dir: no mask for weak image '" + id + "' in " + dir
                        + " (looked for SegmentationClass/" + id + ".png and " + id + ".png)");
            }
            LabelMask mask = VocImages.readMask(file);
            String values = LabelMask.unknownValues(mask.histogram(), numClasses);
            if (values != null) {
                throw new SslsegException(file + ": " + values);
            }
            sink.accept(i, mask);
            progress.advance(1);
        }
        progress.done();
    }
}
