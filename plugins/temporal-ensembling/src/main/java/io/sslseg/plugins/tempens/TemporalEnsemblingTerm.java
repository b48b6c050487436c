package io.sslseg.plugins.tempens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.AugmentView;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.Split;
import io.sslseg.api.method.LossTerm;
import io.sslseg.api.method.LossTermContext;
import io.sslseg.api.method.LossTermFactory;
import io.sslseg.api.method.StepContext;
import io.sslseg.api.nn.ScalarOps;
import io.sslseg.api.ssl.Ramps;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal ensembling for segmentation: every image of the split has accumulators Z of
 * C values per cell of a storage grid in the image's own (un-augmented) frame. Each step the main decoder's
 * softmax S on the split's batch is compared with the bias-corrected targets {@code Z / sum_c Z} read through
 * each crop's {@link AugmentView} (flip, crop window and scale undone), and then, from the detached S, every
 * storage cell the crop covers is updated once: {@code Z <- alpha Z + (1 - alpha) p}. The loss is
 * {@code w(t) * mean over (cells with a target x C) of (S - target)^2}.
 *
 * <p>The per-cell renormalisation is exact bias correction: after t updates from 0 the class-sum of Z is
 * {@code 1 - alpha^t}, so no visit counter is kept, a cell never visited (sum 0) gets no target, and the
 * float16 rounding of the stored values is absorbed too.
 *
 * <p>Z lives in a memory-mapped float16 file in the term's folder of the run ({@link PredictionMemory}); a
 * checkpoint records a CRC-checked snapshot of it taken at the checkpoint's step, so a resumed run continues
 * bit for bit.
 */
public final class TemporalEnsemblingTerm implements LossTerm {
    static final String LIVE = "memory.f16";
    static final String INFO = "memory.json";
    private static final String SNAPSHOT_PREFIX = "memory-step";
    private static final String SNAPSHOT_SUFFIX = ".f16";
    private static final Pattern SNAPSHOT = Pattern.compile("memory-step\\d+\\.f16(\\.tmp)?");
    private static final int STATE_VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(TemporalEnsemblingTerm.class);

    private final TemporalEnsemblingParams params;
    private final Split split;
    private final String splitName;
    private final SampleList samples;
    private final Map<String, Integer> index = new HashMap<>();
    private final int classes;
    private final long labeled;
    private final long totalIterations;
    private final Path workDir;
    private final long maxChunkBytes;

    private PredictionMemory memory;
    private String referenceId;
    private int sourceWidth;
    private int sourceHeight;
    /** Optimizer steps done when the memory was last updated (names the next snapshot). */
    private long stepsDone;
    /** The snapshot the previous checkpoint recorded (kept: the checkpoint may still point at it). */
    private String previousSnapshot;

    public static LossTermFactory<TemporalEnsemblingParams> factory() {
        return LossTermFactory.of(TemporalEnsemblingParams.class, TemporalEnsemblingParams.defaults(),
                "Temporal ensembling: a per-image, per-pixel moving average of past predictions (float16, memory-mapped"
                        + " in the run folder) as a squared-error target on unlabelled images", TemporalEnsemblingTerm::new);
    }

    TemporalEnsemblingTerm(TemporalEnsemblingParams p, LossTermContext ctx) {
        this(p, ctx, PredictionMemory.DEFAULT_CHUNK_BYTES);
    }

    /** @param maxChunkBytes the largest single mapping of the memory file (tests map in small chunks) */
    TemporalEnsemblingTerm(TemporalEnsemblingParams p, LossTermContext ctx, long maxChunkBytes) {
        this.params = p;
        this.split = "weak".equals(p.split()) ? Split.WEAK : Split.UNLABELED;
        this.splitName = p.split();
        this.samples = ctx.samples().apply(split);
        this.classes = ctx.numClasses();
        this.labeled = ctx.samples().apply(Split.LABELED).size();
        this.totalIterations = ctx.totalIterations();
        this.maxChunkBytes = maxChunkBytes;
        if (ctx.workDir() == null) {
            throw new SslsegException("loss term temporal-ensembling keeps a per-image prediction memory in the run"
                    + " folder, and this run has none (benchmarks and folder-less runs cannot use it; use 'sslseg train')");
        }
        if (samples.size() == 0) {
            throw new SslsegException("loss term temporal-ensembling: the dataset's " + splitName
                    + " split is empty; there is nothing to ensemble");
        }
        List<String> ids = samples.ids();
        for (int i = 0; i < ids.size(); i++) {
            if (index.put(ids.get(i), i) != null) {
                throw new SslsegException("loss term temporal-ensembling: the " + splitName + " split lists id '"
                        + ids.get(i) + "' twice; the prediction memory is indexed by id");
            }
        }
        this.workDir = ctx.workDir();
        try {
            Files.createDirectories(workDir);
            // a fresh run starts from zeros; a resume restores a snapshot in loadState
            Files.deleteIfExists(workDir.resolve(LIVE));
            Files.deleteIfExists(workDir.resolve(INFO));
        } catch (IOException e) {
            throw new SslsegException("loss term temporal-ensembling: cannot prepare " + workDir + ": " + e.getMessage());
        }
    }

    @Override
    public Set<Split> splits() {
        return Set.of(split);
    }

    /** It reads the split's encoder pass ({@code features} or {@code logits}). */
    @Override
    public Set<Split> encodedSplits() {
        return Set.of(split);
    }

    /** The memory (null before the first step or restore). */
    PredictionMemory memory() {
        return memory;
    }

    /** The index of a sample id in the split. */
    int indexOf(String id) {
        Integer i = index.get(id);
        if (i == null) {
            throw new SslsegException("temporal-ensembling: sample '" + id + "' of this step's " + splitName
                    + " batch is not in the dataset's " + splitName + " split");
        }
        return i;
    }

    /**
     * The weight w(t) at {@code iteration} (counted from 0) with {@code batchSize} images of the split per step:
     * 0 until the split has been drawn once entirely (the reference's first epoch), then
     * {@code wMax * (M / N) * exp(-5 (1 - T)^2)} with {@code T = clip(iteration / (rampUp * total), 0, 1)}.
     */
    public double weightAt(long iteration, int batchSize) {
        if (iteration * (long) batchSize < samples.size()) {
            return 0.0;
        }
        return params.wMax() * labeledFraction() * Ramps.sigmoid(iteration, params.rampUp() * totalIterations);
    }

    /** M / N when scaled by it (labelled images over labelled plus this split's), else 1. */
    public double labeledFraction() {
        return params.scaleByLabeledFraction() ? (double) labeled / (labeled + samples.size()) : 1.0;
    }

    @Override
    public NDArray compute(StepContext ctx) {
        NDArray logits = ctx.logits(split);
        Shape shape = logits.getShape();
        if (shape.dimension() != 4 || shape.get(1) != classes) {
            throw new SslsegException("temporal-ensembling: the decoder's logits have shape " + shape + "; N x "
                    + classes + " x H x W expected");
        }
        int n = (int) shape.get(0);
        int gh = (int) shape.get(2);
        int gw = (int) shape.get(3);
        List<String> ids = ctx.ids(split);
        List<AugmentView> views = ctx.views(split);
        if (ids.size() != n || views.size() != n) {
            throw new SslsegException("temporal-ensembling: " + n + " logits but " + ids.size() + " ids and "
                    + views.size() + " views in the " + splitName + " batch");
        }
        NDArray probs = logits.softmax(1);
        float[] p = probs.stopGradient().toFloatArray();
        int[] images = new int[n];
        for (int i = 0; i < n; i++) {
            images[i] = indexOf(ids.get(i));
        }
        ensureMemory(ids, views, gh, gw);
        int[][] cells = storageCells(views, gh, gw);

        // every target is read before any update (a batch may hold an image twice across a pass boundary)
        int plane = gh * gw;
        float[] target = new float[n * classes * plane];
        float[] mask = new float[n * plane];
        float[] z = new float[classes];
        int count = 0;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < plane; g++) {
                int cell = cells[i][g];
                if (cell < 0) {
                    continue;
                }
                memory.read(images[i], cell, z);
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += z[c];
                }
                if (!(sum > 0)) {
                    continue; // never visited
                }
                mask[i * plane + g] = 1f;
                count++;
                for (int c = 0; c < classes; c++) {
                    int at = (i * classes + c) * plane + g;
                    target[at] = (float) (z[c] / sum);
                    double d = p[at] - target[at];
                    squares += d * d;
                }
            }
        }
        // then each covered storage cell takes one update per visit, from a crop cell that maps to it
        boolean[] done = new boolean[memory.layout().cells()];
        for (int i = 0; i < n; i++) {
            Arrays.fill(done, false);
            for (int g = 0; g < plane; g++) {
                int cell = cells[i][g];
                if (cell >= 0 && !done[cell]) {
                    done[cell] = true;
                    memory.update(images[i], cell, p, i * classes * plane + g, plane);
                }
            }
        }
        stepsDone = ctx.clock().iteration() + 1;

        double w = weightAt(ctx.clock().iteration(), n);
        double mse = count == 0 ? 0.0 : squares / ((double) count * classes);
        ctx.log("w_te", w);
        ctx.log("loss_te", mse);
        ctx.log("te_target_fraction", (double) count / ((double) n * plane));
        if (w == 0 || count == 0) {
            return null;
        }
        NDManager sm = ctx.manager();
        NDArray t = sm.create(target, shape);
        NDArray m = sm.create(mask, new Shape(n, 1, gh, gw));
        return ScalarOps.mul(ScalarOps.div(probs.sub(t).square().mul(m).sum(), (double) count * classes), w);
    }

    /** Per sample, per grid cell (row-major), its storage cell, or -1 in the padding. */
    int[][] storageCells(List<AugmentView> views, int gh, int gw) {
        PredictionMemory.Layout l = memory.layout();
        int[][] cells = new int[views.size()][gh * gw];
        for (int i = 0; i < views.size(); i++) {
            AugmentView v = views.get(i);
            for (int y = 0; y < gh; y++) {
                for (int x = 0; x < gw; x++) {
                    int src = v.sourcePixel(x, y, gw, gh);
                    if (src < 0) {
                        cells[i][y * gw + x] = -1;
                    } else {
                        long sx = src % sourceWidth;
                        long sy = src / sourceWidth;
                        int cx = (int) (sx * l.width() / sourceWidth);
                        int cy = (int) (sy * l.height() / sourceHeight);
                        cells[i][y * gw + x] = cy * l.width() + cx;
                    }
                }
            }
        }
        return cells;
    }

    /**
     * Opens the memory on the first step (or checks the one a resume restored): the storage grid is the source
     * image size scaled as the decoder's grid scales the crop.
     */
    private void ensureMemory(List<String> ids, List<AugmentView> views, int gh, int gw) {
        if (referenceId == null) {
            RgbImage first = samples.load(0).image();
            referenceId = samples.id(0);
            sourceWidth = first.width();
            sourceHeight = first.height();
        }
        for (int i = 0; i < views.size(); i++) {
            AugmentView v = views.get(i);
            if (v.sourceWidth() != sourceWidth || v.sourceHeight() != sourceHeight) {
                throw new SslsegException("temporal-ensembling: the images of the " + splitName + " split differ in size ('"
                        + referenceId + "' is " + sourceWidth + "x" + sourceHeight + ", '" + ids.get(i) + "' is "
                        + v.sourceWidth() + "x" + v.sourceHeight() + "); its per-image memory needs one size for all");
            }
            if (v.crop() != views.get(0).crop()) {
                throw new SslsegException("temporal-ensembling: the crops of one " + splitName + " batch differ in size");
            }
        }
        int crop = views.get(0).crop();
        int hs = (int) Math.max(1, Math.round((double) sourceHeight * gh / crop));
        int ws = (int) Math.max(1, Math.round((double) sourceWidth * gw / crop));
        PredictionMemory.Layout wanted = new PredictionMemory.Layout(samples.size(), classes, hs, ws, params.alpha());
        if (memory == null) {
            open(wanted);
        } else if (!memory.layout().equals(wanted)) {
            throw new SslsegException("temporal-ensembling: the restored prediction memory holds " + memory.layout()
                    + ", but this run's decoder grid " + gw + "x" + gh + " on " + crop + " px crops of " + sourceWidth
                    + "x" + sourceHeight + " images needs " + wanted + "; was the config changed since the checkpoint?");
        }
    }

    private void open(PredictionMemory.Layout layout) {
        memory = PredictionMemory.create(workDir.resolve(LIVE), layout, maxChunkBytes);
        LOG.info("temporal-ensembling: prediction memory {} in {}: {} bytes per image, {} images, {} bytes in all",
                layout, memory.file(), layout.recordBytes(), layout.images(), layout.dataBytes());
        String json = String.format(Locale.ROOT, "{\n  \"file\": \"%s\",\n  \"dtype\": \"float16\",\n  \"layout\":"
                + " \"image, row, column, class\",\n  \"images\": %d,\n  \"classes\": %d,\n  \"height\": %d,\n"
                + "  \"width\": %d,\n  \"alpha\": %s,\n  \"bytes_per_image\": %d,\n  \"total_bytes\": %d,\n"
                + "  \"file_bytes\": %d\n}\n", LIVE, layout.images(), layout.classes(), layout.height(), layout.width(),
                Double.toString(layout.alpha()), layout.recordBytes(), layout.dataBytes(), layout.fileBytes());
        try {
            Files.writeString(workDir.resolve(INFO), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SslsegException("temporal-ensembling: cannot write " + workDir.resolve(INFO) + ": " + e.getMessage());
        }
    }

    /**
     * Snapshots the memory as it is at this checkpoint's step (the live file changes every step) and records
     * the snapshot's name, step and CRC32. The previous snapshot is kept, because the platform renames the
     * new checkpoint into place only after this returns; older ones are deleted.
     */
    @Override
    public void saveState(DataOutputStream out) throws IOException {
        out.writeInt(STATE_VERSION);
        out.writeBoolean(memory != null);
        if (memory == null) {
            return; // no step ran yet: a resume starts from zeros
        }
        String name = String.format(Locale.ROOT, "%s%010d%s", SNAPSHOT_PREFIX, stepsDone, SNAPSHOT_SUFFIX);
        long crc = memory.snapshot(workDir.resolve(name));
        out.writeUTF(name);
        out.writeLong(stepsDone);
        out.writeLong(crc);
        out.writeLong(memory.layout().fileBytes());
        String keep = previousSnapshot;
        try (Stream<Path> files = Files.list(workDir)) {
            for (Path f : files.toList()) {
                String fn = f.getFileName().toString();
                if (SNAPSHOT.matcher(fn).matches() && !fn.equals(name) && !fn.equals(keep)) {
                    Files.deleteIfExists(f);
                }
            }
        }
        previousSnapshot = name;
    }

    @Override
    public void loadState(DataInputStream in, String source) throws IOException {
        int version = in.readInt();
        if (version != STATE_VERSION) {
            throw new SslsegException(source + ": temporal-ensembling state of version " + version + ", expected "
                    + STATE_VERSION);
        }
        if (!in.readBoolean()) {
            if (memory != null) {
                memory.zero();
            }
            stepsDone = 0;
            return;
        }
        String name = in.readUTF();
        long step = in.readLong();
        long crc = in.readLong();
        long bytes = in.readLong();
        if (!SNAPSHOT.matcher(name).matches() || name.endsWith(".tmp")) {
            throw new SslsegException(source + ": names '" + name + "' as its temporal-ensembling memory snapshot,"
                    + " which is not a snapshot file name");
        }
        Path file = workDir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new SslsegException("temporal-ensembling: the memory snapshot " + file + " that checkpoint " + source
                    + " records (step " + step + ") is missing");
        }
        PredictionMemory.Layout saved = PredictionMemory.readLayout(file);
        if (saved.images() != samples.size() || saved.classes() != classes || saved.alpha() != params.alpha()) {
            throw new SslsegException("temporal-ensembling: the memory snapshot " + file + " holds " + saved
                    + ", but this run has " + samples.size() + " " + splitName + " images, " + classes
                    + " classes and alpha " + params.alpha() + "; was the config or the dataset changed?");
        }
        if (saved.fileBytes() != bytes) {
            throw new SslsegException("temporal-ensembling: the memory snapshot " + file + " has a header for "
                    + saved.fileBytes() + " bytes, checkpoint " + source + " recorded " + bytes);
        }
        if (memory == null) {
            open(saved);
        } else if (!memory.layout().equals(saved)) {
            throw new SslsegException("temporal-ensembling: the memory snapshot " + file + " holds " + saved
                    + ", the memory in use is " + memory.layout());
        }
        memory.restore(file, crc);
        stepsDone = step;
        previousSnapshot = name;
    }
}
