package io.sslseg.fashionscenes;

import io.sslseg.api.Progress;
import io.sslseg.api.data.DatasetFactory;
import io.sslseg.api.data.DatasetInfo;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.SegDataset;
import io.sslseg.api.data.Split;
import io.sslseg.api.data.SplitMix64;
import io.sslseg.api.data.VocExportable;
import io.sslseg.api.data.voc.VocWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The FashionScenes benchmark: scenes are generated on demand (nothing is cached: one costs a fraction of
 * a millisecond), so building the dataset is instant and any split can be read from many threads.
 *
 * <p>Colour carries no class here: each tint and the background draw their R, G and B independently from one
 * range, so a scene with its colour planes permuted is exactly as likely as the original. That is why the
 * shipped configs train with {@code train.augment.permuteChannels: true}, which on data where colour means
 * something (a red stop sign) would teach the network wrong.
 */
public final class FashionScenes implements SegDataset, VocExportable {
    static final List<String> CLASS_NAMES = List.of("background", "t-shirt", "trouser", "pullover", "dress",
            "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot");
    /** The benchmark's labelled subsets; the export writes a list for each that fits in the pool. */
    static final int[] SUBSETS = {50, 100, 200, 500, 1000};
    private static final long ORDER_STREAM = 3;

    private final FashionScenesParams params;
    private final FashionMnist.Location location;
    /** The fixed shuffled order of the train pool: labelled subsets are its prefixes. */
    private final int[] order;
    private volatile SceneGenerator generator;

    /** The {@code fashion-scenes} dataset component; generation is pure and fast, so the cache folder is unused. */
    public static DatasetFactory<FashionScenesParams> factory() {
        return DatasetFactory.of(FashionScenesParams.class, FashionScenesParams.DEFAULTS,
                "FashionScenes: VOC-style scenes of 1-3 Fashion-MNIST items on noisy gradients, 11 classes,"
                        + " nested labelled subsets, image-level tags (generated on demand)",
                (params, context) -> new FashionScenes(params));
    }

    FashionScenes(FashionScenesParams params) {
        this.params = params;
        this.location = FashionMnist.locate(params.source());
        this.order = SplitMix64.of(params.seed(), ORDER_STREAM).permutation(params.train());
    }

    @Override
    public DatasetInfo info() {
        return new DatasetInfo(identity(), CLASS_NAMES);
    }

    /** Everything that determines the scenes and the splits, including the items' source and checksum. */
    String identity() {
        return "fashion-scenes " + SceneGenerator.VERSION + " seed=" + params.seed() + " size=" + params.size()
                + " train=" + params.train() + " val=" + params.val() + " labeled=" + params.labeled()
                + " weak=" + params.weak() + (params.unlabeled() == 0 ? "" : " unlabeled=" + params.unlabeled())
                + "; items: " + generator().itemsDescription();
    }

    @Override
    public SampleList split(Split split) {
        int labeled = params.labeled();
        int rest = params.unlabeledCount();
        return switch (split) {
            case LABELED -> pool(0, labeled, true, true);
            case UNLABELED -> pool(labeled, rest, false, false);
            case WEAK -> params.weak() ? pool(labeled, rest, false, true) : SampleList.EMPTY;
            case VAL -> new Scenes(params.val(), this::valId,
                    i -> sample(valId(i), generator().scene(true, i), true, true));
        };
    }

    /** The generated mask of an unlabelled or weak scene: every scene has one, the split only hides it. */
    @Override
    public LabelMask referenceMask(Split split, int index) {
        if (split != Split.UNLABELED && split != Split.WEAK) {
            return null;
        }
        return generator().scene(false, order[params.labeled() + index]).mask();
    }

    /** Scenes {@code offset .. offset+count-1} of the pool's shuffled order. */
    private SampleList pool(int offset, int count, boolean withMask, boolean withTags) {
        return new Scenes(count, i -> trainId(order[offset + i]),
                i -> sample(trainId(order[offset + i]), generator().scene(false, order[offset + i]), withMask, withTags));
    }

    private static Sample sample(String id, SceneGenerator.Scene s, boolean withMask, boolean withTags) {
        return new Sample(id, s.image(), withMask ? s.mask() : null, withTags ? s.tags() : null);
    }

    /**
     * Writes every pool and val scene with its mask and tags, {@code train.txt}, {@code val.txt} and a
     * {@code labeled_N.txt} per subset (the benchmark's and this dataset's {@code labeled}).
     */
    @Override
    public void exportVoc(Path outDir, Progress progress) {
        SceneGenerator gen = generator();
        int train = params.train();
        int total = train + params.val();
        try (VocWriter writer = VocWriter.create(outDir)) {
            progress.start("generate fashion-scenes", total);
            // Scenes are independent and the writer is thread-safe: spread them over the cores.
            IntStream.range(0, total).parallel().forEach(g -> {
                boolean val = g >= train;
                int index = val ? g - train : g;
                SceneGenerator.Scene s = gen.scene(val, index);
                writer.writeSample(val ? valId(index) : trainId(index), s.image(), s.mask(), tagNames(s));
                synchronized (progress) {
                    progress.advance(1);
                }
            });
            writer.writeList("train", IntStream.range(0, train).mapToObj(this::trainId).toList());
            writer.writeList("val", split(Split.VAL).ids());
            TreeSet<Integer> subsets = new TreeSet<>();
            for (int n : SUBSETS) {
                if (n <= train) {
                    subsets.add(n);
                }
            }
            subsets.add(params.labeled());
            for (int n : subsets) {
                writer.writeList("labeled_" + n, IntStream.range(0, n).mapToObj(i -> trainId(order[i])).toList());
            }
            writer.writeClasses(CLASS_NAMES);
            writer.writeOrigin(identity());
            writer.commit();
            progress.done();
        }
    }

    private static List<String> tagNames(SceneGenerator.Scene s) {
        return s.tags().stream().sorted().map(CLASS_NAMES::get).toList();
    }

    private String trainId(int poolIndex) {
        return id("train", poolIndex, params.train());
    }

    private String valId(int index) {
        return id("val", index, params.val());
    }

    private static String id(String prefix, int index, int count) {
        int digits = Math.max(5, String.valueOf(count - 1).length());
        return prefix + "_" + String.format("%0" + digits + "d", index);
    }

    /** Reads the items on first use (about a second for the full 70,000), once. */
    SceneGenerator generator() {
        SceneGenerator g = generator;
        if (g == null) {
            synchronized (this) {
                g = generator;
                if (g == null) {
                    g = new SceneGenerator(FashionMnist.load(location), params.seed(), params.size());
                    generator = g;
                }
            }
        }
        return g;
    }

    /** A split backed by a generator function; {@link #load} is thread-safe because generation is pure. */
    private record Scenes(int size, IntFunction<String> idOf, IntFunction<Sample> loader) implements SampleList {
        @Override
        public String id(int index) {
            return idOf.apply(check(index));
        }

        @Override
        public Sample load(int index) {
            return loader.apply(check(index));
        }

        private int check(int index) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException("scene " + index + " of " + size);
            }
            return index;
        }
    }
}
