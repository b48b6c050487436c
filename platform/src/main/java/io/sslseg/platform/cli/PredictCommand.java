package io.sslseg.platform.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.AtomicFiles;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.DataException;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.voc.VocImages;
import io.sslseg.api.data.voc.VocPalette;
import io.sslseg.api.nn.SpatialOps;
import io.sslseg.platform.console.ConsoleProgress;
import io.sslseg.platform.export.ExportMetadata;
import io.sslseg.platform.export.Segmenter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Segment images with a run's network or an exported model: one palette PNG mask per image"
                + " (pixel values are class ids, VOC colours), named like the image.",
            "Any image size: the image is padded by repeating its edge pixels up to the next multiple of the"
                + " network's output stride, and the mask is cropped back to the image's size. A model exported for"
                + " one input size (a network with adaptive pooling) gets each image resized to that size instead,"
                + " and its logits resized back."})
final class PredictCommand implements Callable<Integer> {
    static final List<String> IMAGE_SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    @ParentCommand
    SslsegCli cli;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--run", paramLabel = "RUN_DIR", description = "A run folder written by 'sslseg train'.")
        Path run;

        @Option(names = "--model", paramLabel = "FILE", description = "A model written by 'sslseg export'.")
        Path model;
    }

    @Option(names = "--checkpoint", paramLabel = "best|latest", defaultValue = "best",
            description = "With --run: the checkpoint to use (default: ${DEFAULT-VALUE}).")
    String which;

    @Option(names = "--engine", paramLabel = "pytorch|onnxruntime",
            description = "The runtime (default: pytorch for --run, onnxruntime for --model; --run with onnxruntime"
                    + " exports the network in memory first).")
    String engine;

    @Option(names = "--input", paramLabel = "PATH", arity = "1..*", required = true,
            description = "Image files, folders (their images, not recursively) or quoted globs such as 'img/*.jpg'.")
    List<String> inputs;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder for the masks (made if missing).")
    Path out;

    @Option(names = "--overlay", description = "Also write NAME.overlay.png: the image with the classes' colours over it.")
    boolean overlay;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "CPU threads (default: the run's runtime.threads, or every core for --model).")
    int threads;

    @Override
    public Integer call() throws IOException {
        String runtime = OpenedSegmenter.engine(engine, source.model != null);
        Map<String, Path> images = expand(inputs);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new SslsegException("--out " + out + " exists and is not a folder");
        }
        Files.createDirectories(out);
        List<String> skipped = new ArrayList<>();
        try (OpenedSegmenter opened = OpenedSegmenter.open(cli, source.run, source.model, which, runtime, threads);
                NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Segmenter segmenter = opened.segmenter();
            ExportMetadata md = segmenter.metadata();
            ConsoleProgress progress = ConsoleProgress.stderr();
            progress.start("predict", images.size());
            for (Map.Entry<String, Path> e : images.entrySet()) {
                try (NDManager scratch = root.newSubManager()) {
                    RgbImage image = VocImages.readRgb(e.getValue());
                    LabelMask mask = predict(segmenter, md, image, scratch);
                    AtomicFiles.write(out.resolve(e.getKey() + ".png"), f -> VocImages.writeMask(f, mask));
                    if (overlay) {
                        RgbImage o = overlay(image, mask);
                        AtomicFiles.write(out.resolve(e.getKey() + ".overlay.png"), f -> VocImages.writePng(f, o));
                    }
                } catch (DataException ex) {
                    skipped.add(e.getValue().toString());
                    cli.err.println("sslseg: warning: skipped " + ex.getMessage());
                }
                progress.advance(1);
            }
            progress.done();
            cli.out.printf("%d masks written to %s (%s, %s)%n", images.size() - skipped.size(), out, runtime,
                    opened.description());
        }
        if (!skipped.isEmpty()) {
            cli.err.printf("sslseg: error: %d of %d images could not be read: %s%n", skipped.size(), images.size(),
                    String.join(", ", skipped));
            return SslsegCli.EXIT_FAILED;
        }
        return 0;
    }

    /**
     * The mask of one image. A model that takes any size gets the image edge-padded to the next multiple of its
     * output stride, and its mask is cropped back; a model exported for one size gets the image resized to it
     * (bilinearly), and its logits are resized back before the argmax.
     */
    static LabelMask predict(Segmenter segmenter, ExportMetadata md, RgbImage image, NDManager manager) {
        int w = image.width();
        int h = image.height();
        int fixed = md.fixedSize();
        int s = md.outputStride();
        int pw = fixed > 0 ? w : (w + s - 1) / s * s;
        int ph = fixed > 0 ? h : (h + s - 1) / s * s;
        float[] data = new float[3 * ph * pw];
        var norm = md.normalization();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < ph; y++) {
                int sy = Math.min(y, h - 1);
                for (int x = 0; x < pw; x++) {
                    data[(c * ph + y) * pw + x] = norm.normalise255(image.get(Math.min(x, w - 1), sy, c), c);
                }
            }
        }
        NDArray input = manager.create(data, new Shape(1, 3, ph, pw));
        NDArray logits;
        if (fixed > 0) {
            logits = SpatialOps.resizeBilinear(segmenter.logits(SpatialOps.resizeBilinear(input, fixed, fixed)), h, w);
        } else {
            logits = segmenter.logits(input).get(":, :, :" + h + ", :" + w);
        }
        return new LabelMask(w, h, logits.argMax(1).toType(DataType.UINT8, false).toByteArray());
    }

    /** The image with each non-background pixel half its class colour. */
    static RgbImage overlay(RgbImage image, LabelMask mask) {
        byte[] rgb = image.rgb().clone();
        byte[] labels = mask.labels();
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xff;
            if (label == 0) {
                continue;
            }
            int colour = VocPalette.rgb(label);
            for (int c = 0; c < 3; c++) {
                int v = (colour >> (16 - 8 * c)) & 0xff;
                rgb[3 * i + c] = (byte) (((rgb[3 * i + c] & 0xff) + v) / 2);
            }
        }
        return new RgbImage(image.width(), image.height(), rgb);
    }

    /**
     * The images named by files, folders and globs, by output name (the file name without its suffix), in order.
     * A path that names nothing, a folder without images, or two images that would write the same mask are errors.
     */
    static Map<String, Path> expand(List<String> inputs) throws IOException {
        Map<String, Path> byName = new LinkedHashMap<>();
        for (String input : inputs) {
            List<Path> found = new ArrayList<>();
            if (input.contains("*") || input.contains("?") || input.contains("[")) {
                found.addAll(glob(input));
                if (found.isEmpty()) {
                    throw new SslsegException("--input " + input + ": no image matches this pattern");
                }
            } else {
                Path p = Path.of(input);
                if (Files.isDirectory(p)) {
                    try (var list = Files.list(p)) {
                        list.filter(f -> Files.isRegularFile(f) && isImageName(f)).sorted().forEach(found::add);
                    }
                    if (found.isEmpty()) {
                        throw new SslsegException("--input " + input + ": the folder holds no image (" + String.join(", ",
                                IMAGE_SUFFIXES) + ")");
                    }
                } else if (Files.exists(p)) {
                    found.add(p);
                } else {
                    throw new SslsegException("--input " + input + ": no such file or folder");
                }
            }
            for (Path f : found) {
                String name = stem(f);
                Path earlier = byName.putIfAbsent(name, f);
                if (earlier != null && !earlier.toAbsolutePath().normalize().equals(f.toAbsolutePath().normalize())) {
                    throw new SslsegException("--input: " + earlier + " and " + f + " would both write " + name
                            + ".png; predict them into different --out folders");
                }
            }
        }
        return byName;
    }

    private static List<Path> glob(String pattern) throws IOException {
        // the folder part before the first wildcard is walked; the whole pattern is matched against the paths found
        int wildcard = pattern.length();
        for (char c : new char[] {'*', '?', '['}) {
            int i = pattern.indexOf(c);
            wildcard = i >= 0 ? Math.min(wildcard, i) : wildcard;
        }
        int slash = pattern.lastIndexOf('/', wildcard);
        Path base = slash < 0 ? Path.of(".") : Path.of(pattern.substring(0, slash + 1));
        if (!Files.isDirectory(base)) {
            throw new SslsegException("--input " + pattern + ": folder " + base + " does not exist");
        }
        var matcher = base.getFileSystem().getPathMatcher("glob:" + pattern);
        try (var walk = Files.walk(base)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> matcher.matches(slash < 0 ? base.relativize(f) : f))
                    .sorted().toList();
        }
    }

    private static boolean isImageName(Path f) {
        String n = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return IMAGE_SUFFIXES.stream().anyMatch(n::endsWith);
    }

    private static String stem(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

}
