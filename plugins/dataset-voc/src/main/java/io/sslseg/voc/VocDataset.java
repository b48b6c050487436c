package io.sslseg.voc;

import io.sslseg.api.Progress;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.DataException;
import io.sslseg.api.data.DatasetFactory;
import io.sslseg.api.data.DatasetInfo;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.SegDataset;
import io.sslseg.api.data.Split;
import io.sslseg.api.data.Validatable;
import io.sslseg.api.data.ValidationReport;
import io.sslseg.api.data.voc.VocAnnotation;
import io.sslseg.api.data.voc.VocImages;
import io.sslseg.api.data.voc.VocLayout;
import io.sslseg.api.data.voc.VocLists;
import io.sslseg.api.data.voc.VocLists.Entry;
import io.sslseg.api.data.voc.VocLists.Listing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A VOC2012-shaped folder as a dataset. The lists are parsed when the dataset is built (entries that would
 * leave the folder are dropped there, and every split refuses to open while any were found); images,
 * masks and annotations are read on demand.
 */
final class VocDataset implements SegDataset, Validatable {
    /** PASCAL VOC's classes, for folders without a {@code classes.txt}. */
    static final List<String> VOC_CLASSES = List.of("background", "aeroplane", "bicycle", "bird", "boat", "bottle",
            "bus", "car", "cat", "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant",
            "sheep", "sofa", "train", "tvmonitor");
    private static final List<String> IMAGE_EXTENSIONS = List.of(".jpg", ".png", ".jpeg", ".JPG", ".PNG");

    final VocLayout layout;
    final VocParams params;
    final List<String> classNames;
    private final Map<String, Integer> classIds = new HashMap<>();
    final Listing labeledList;
    /** The CCT unsupervised list, or the pool list the unlabelled images are derived from (null: none). */
    final Listing unlabeledList;
    final Listing valList;
    final List<Entry> labeled;
    final List<Entry> unlabeled;
    final List<Entry> val;
    private final String identity;

    /** The {@code voc} dataset component. */
    public static DatasetFactory<VocParams> factory() {
        return DatasetFactory.of(VocParams.class, VocParams.DEFAULTS,
                "PASCAL VOC 2012-shaped folder: SegmentationClass(Aug) masks, Annotations tags, sslseg and CCT"
                        + " labelled-subset lists",
                (params, context) -> {
                    if (params.root().isEmpty()) {
                        throw new SslsegException("voc: parameter 'root' is required: the VOC2012 folder, or the"
                                + " folder that contains VOCdevkit/VOC2012");
                    }
                    return new VocDataset(Path.of(params.root()), params);
                });
    }

    VocDataset(Path root, VocParams params) {
        this.layout = VocLayout.locate(root);
        this.params = params;
        this.classNames = readClasses(layout);
        for (int i = 0; i < classNames.size(); i++) {
            classIds.put(classNames.get(i), i);
        }
        int n = params.labeled();
        Path ours = layout.list("labeled_" + n);
        Path cct = layout.list(n + "_train_supervised");
        Path cctUnlabeled = layout.list(n + "_train_unsupervised");
        if (n == 0) {
            labeledList = VocLists.read(layout.list(params.train()));
            unlabeledList = null;
        } else if (Files.isRegularFile(ours)) {
            labeledList = VocLists.read(ours);
            unlabeledList = VocLists.read(layout.list(params.train()));
        } else if (Files.isRegularFile(cct)) {
            labeledList = VocLists.read(cct);
            unlabeledList = VocLists.read(Files.isRegularFile(cctUnlabeled) ? cctUnlabeled : layout.list(params.train()));
        } else {
            throw new DataException(layout.lists(), "no labelled subset of " + n + " images: expected "
                    + ours.getFileName() + " or " + cct.getFileName() + "; subsets here: " + subsetLists(layout));
        }
        valList = VocLists.read(layout.list(params.val()));
        labeled = labeledList.entries();
        val = valList.entries();
        unlabeled = unlabeledList == null ? List.of() : without(unlabeledList.entries(), labeled);
        identity = "voc " + layout.root() + " labeled=" + (n == 0 ? params.train() : labeledList.file().getFileName())
                + " unlabeled=" + (unlabeledList == null ? "none" : unlabeledList.file().getFileName())
                + " val=" + params.val() + " weak=" + params.weak() + " (" + labeled.size() + "/" + unlabeled.size()
                + "/" + val.size() + " images, lists sha256 " + listsDigest() + ", files " + filesDigest() + ")" + origin();
    }

    @Override
    public DatasetInfo info() {
        return new DatasetInfo(identity, classNames);
    }

    @Override
    public SampleList split(Split split) {
        for (Listing listing : usedLists()) {
            if (!listing.rejected().isEmpty()) {
                throw new DataException(listing.file(), listing.rejected().size() + " entries rejected ("
                        + listing.rejected().get(0) + "); fix the list (see `sslseg data validate`)");
            }
        }
        return switch (split) {
            case LABELED -> new Samples(labeled, true, false);
            case UNLABELED -> new Samples(unlabeled, false, false);
            case WEAK -> params.weak() ? new Samples(unlabeled, false, true) : SampleList.EMPTY;
            case VAL -> new Samples(val, true, false);
        };
    }

    List<Listing> usedLists() {
        List<Listing> lists = new ArrayList<>(List.of(labeledList, valList));
        if (unlabeledList != null) {
            lists.add(unlabeledList);
        }
        return lists;
    }

    /** Reads one sample; every problem is a {@link DataException} naming the file. */
    Sample load(Entry entry, boolean withMask, boolean withTags) {
        Path imageFile = imageFile(entry);
        RgbImage image = readImage(imageFile);
        LabelMask mask = withMask ? readMask(entry, image, imageFile) : null;
        return new Sample(entry.id(), image, mask, withTags ? readTags(entry.id()) : null);
    }

    /**
     * Finds and reads an entry's mask and checks it against its image (skipped when {@code image} is null)
     * and the classes: a missing mask, a size mismatch or a value that is neither a class nor 255 is a
     * {@link DataException} naming the mask file.
     */
    LabelMask readMask(Entry entry, RgbImage image, Path imageFile) {
        Path maskFile = maskFile(entry);
        if (maskFile == null) {
            Path expected = entry.mask() != null ? layout.resolveInside(entry.mask())
                    : layout.masks().resolve(entry.id() + ".png");
            throw new DataException(expected, "missing: labelled image '" + entry.id() + "' has no mask in "
                    + VocLayout.MASKS + "/ or " + VocLayout.MASKS_AUG + "/");
        }
        LabelMask mask = VocImages.readMask(layout.requireInside(maskFile));
        if (image != null && (mask.width() != image.width() || mask.height() != image.height())) {
            throw new DataException(maskFile, "mask is " + mask.width() + "x" + mask.height() + " but its image "
                    + imageFile + " is " + image.width() + "x" + image.height());
        }
        long[] histogram = mask.histogram();
        String values = LabelMask.unknownValues(histogram, classNames.size());
        if (values != null) {
            throw new DataException(maskFile, values);
        }
        if (histogram[LabelMask.IGNORE] == (long) mask.width() * mask.height()) {
            throw new DataException(maskFile, "every pixel is 255 (ignore): the mask labels nothing, so its image can"
                    + " neither teach nor be scored; label it or take it out of the list");
        }
        return mask;
    }

    /** Reads an image of the dataset, refusing one that a symbolic link places outside its folder. */
    RgbImage readImage(Path imageFile) {
        return VocImages.readRgb(layout.requireInside(imageFile));
    }

    Path imageFile(Entry entry) {
        if (entry.image() != null) {
            Path listed = layout.resolveInside(entry.image());
            if (Files.isRegularFile(listed)) {
                return listed;
            }
        }
        // Lists name x.jpg even where the images are PNG (ours are): look the id up by extension.
        for (String ext : IMAGE_EXTENSIONS) {
            Path p = layout.images().resolve(entry.id() + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return entry.image() != null ? layout.resolveInside(entry.image()) : layout.images().resolve(entry.id() + ".jpg");
    }

    /** The listed mask, else SegmentationClass/id.png, else SegmentationClassAug/id.png; null if none exists. */
    Path maskFile(Entry entry) {
        if (entry.mask() != null) {
            Path listed = layout.resolveInside(entry.mask());
            if (Files.isRegularFile(listed)) {
                return listed;
            }
        }
        for (Path dir : List.of(layout.masks(), layout.augMasks())) {
            Path p = dir.resolve(entry.id() + ".png");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    Set<Integer> readTags(String id) {
        Path xml = layout.requireInside(layout.annotation(id));
        Set<Integer> tags = new TreeSet<>();
        for (String name : VocAnnotation.readObjectNames(xml)) {
            Integer c = classIds.get(name);
            if (c == null) {
                throw new DataException(xml, "object '" + name + "' is not a class of this dataset ("
                        + String.join(", ", classNames.subList(1, classNames.size())) + ")");
            }
            if (c > 0) {
                tags.add(c);
            }
        }
        return tags;
    }

    @Override
    public ValidationReport validate(Progress progress) {
        return new VocValidator(this).run(progress);
    }

    /** {@code classes.txt} when present (one name per line, background first), else VOC's 21 classes. */
    static List<String> readClasses(VocLayout layout) {
        Path file = layout.classes();
        if (!Files.isRegularFile(file)) {
            return VOC_CLASSES;
        }
        List<String> names = VocLists.readLines(file).stream().filter(s -> !s.isEmpty()).toList();
        if (names.size() < 2 || names.size() > 255) {
            throw new DataException(file, "needs 2..255 class names (background first), found " + names.size());
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw new DataException(file, "a class name appears twice");
        }
        return names;
    }

    /** The labelled-subset lists in the folder, for messages and the validation summary. */
    static List<String> subsetLists(VocLayout layout) {
        List<String> names = new ArrayList<>();
        try (var files = Files.list(layout.lists())) {
            files.map(p -> p.getFileName().toString())
                    .filter(f -> f.matches("labeled_\\d+\\.txt|\\d+_train_supervised\\.txt"))
                    .map(f -> f.substring(0, f.length() - 4))
                    .sorted((a, b) -> Integer.compare(number(a), number(b)))
                    .forEach(names::add);
        } catch (IOException e) {
            return List.of();
        }
        return names;
    }

    private static int number(String listName) {
        return Integer.parseInt(listName.replaceAll("\\D", ""));
    }

    private static List<Entry> without(List<Entry> entries, List<Entry> remove) {
        Set<String> ids = new HashSet<>();
        remove.forEach(e -> ids.add(e.id()));
        return entries.stream().filter(e -> !ids.contains(e.id())).toList();
    }

    private String listsDigest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Listing listing : usedLists()) {
                sha.update(Files.readAllBytes(listing.file()));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException | NoSuchAlgorithmException e) {
            return "unavailable";
        }
    }

    /**
     * A fingerprint of every file the splits name (path, size and modification time of each image and mask; not their
     * content, which would mean reading the whole dataset on every use): a file replaced or edited since a run was
     * trained changes it.
     */
    private String filesDigest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (List<Entry> entries : List.of(labeled, val, unlabeled)) {
                boolean masks = entries != unlabeled;
                for (Entry e : entries) {
                    fingerprint(sha, imageFile(e));
                    if (masks) {
                        Path mask = maskFile(e);
                        fingerprint(sha, mask != null ? mask : layout.masks().resolve(e.id() + ".png"));
                    }
                }
            }
            return "sha256 " + HexFormat.of().formatHex(sha.digest()).substring(0, 16) + " (names, sizes, times)";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void fingerprint(MessageDigest sha, Path file) {
        String line;
        try {
            line = layout.root().relativize(file) + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException missing) {
            line = layout.root().relativize(file) + " missing";
        }
        sha.update((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The generator's description when the folder was written by sslseg. */
    private String origin() {
        try {
            return Files.isRegularFile(layout.origin()) ? "; origin: " + Files.readString(layout.origin()).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** One split: entries read on demand, safe to call from several threads. */
    private final class Samples implements SampleList {
        private final List<Entry> entries;
        private final boolean withMask;
        private final boolean withTags;

        Samples(List<Entry> entries, boolean withMask, boolean withTags) {
            this.entries = entries;
            this.withMask = withMask;
            this.withTags = withTags;
        }

        @Override
        public int size() {
            return entries.size();
        }

        @Override
        public String id(int index) {
            return entries.get(index).id();
        }

        @Override
        public Sample load(int index) {
            return VocDataset.this.load(entries.get(index), withMask, withTags);
        }
    }
}
