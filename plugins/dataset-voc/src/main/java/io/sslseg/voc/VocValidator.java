package io.sslseg.voc;

import io.sslseg.api.Progress;
import io.sslseg.api.data.DataException;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.ValidationReport;
import io.sslseg.api.data.voc.VocImages;
import io.sslseg.api.data.voc.VocLists;
import io.sslseg.api.data.voc.VocLists.Entry;
import io.sslseg.api.data.voc.VocLists.Listing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code sslseg data validate}: reads every file the dataset's splits use and reports counts, a class
 * histogram and each problem with the file it is in. Errors make the dataset unusable; warnings do not.
 */
final class VocValidator {
    /** Lines kept per kind of problem; the rest are counted, so a broken folder gives a readable report. */
    private static final int MAX_PER_KIND = 20;

    private final VocDataset ds;
    private final List<String> summary = new ArrayList<>();
    private final Problems errors = new Problems();
    private final Problems warnings = new Problems();

    VocValidator(VocDataset ds) {
        this.ds = ds;
    }

    /** What one image must provide: a mask for labelled and val images, tags for weak ones. */
    private record Need(Entry entry, boolean labeled, boolean val, boolean tags) {}

    private record Checked(Need need, long[] histogram, List<String[]> problems) {}

    ValidationReport run(Progress progress) {
        int numClasses = ds.classNames.size();
        summary.add("VOC folder: " + ds.layout.root());
        summary.add("classes: " + numClasses + (Files.isRegularFile(ds.layout.classes()) ? " (classes.txt)"
                : " (no classes.txt: the 21 PASCAL VOC classes)") + ": " + String.join(", ", ds.classNames));
        checkLists();
        List<String> subsets = VocDataset.subsetLists(ds.layout);
        summary.add("labelled-subset lists: " + (subsets.isEmpty() ? "none" : String.join(", ", subsets)));
        summary.add(String.format("labeled: %d images (%s)", ds.labeled.size(), ds.labeledList.file().getFileName()));
        summary.add(String.format("unlabeled: %d images (%s)", ds.unlabeled.size(), ds.unlabeledList == null ? "none"
                : ds.unlabeledList.file().getFileName() + (ds.unlabeledList.entries().size() == ds.unlabeled.size()
                        ? "" : " minus the labelled ones")));
        summary.add(String.format("weak: %d images%s", ds.params.weak() ? ds.unlabeled.size() : 0,
                ds.params.weak() ? " (the unlabelled ones, tags from Annotations/)" : " (weak: false)"));
        summary.add(String.format("val: %d images (%s)", ds.val.size(), ds.valList.file().getFileName()));
        if (ds.labeled.isEmpty()) {
            errors.add("split", "no labelled images: " + ds.labeledList.file() + " is empty");
        }
        if (ds.val.isEmpty()) {
            errors.add("split", "no val images: " + ds.valList.file() + " is empty");
        }
        overlap(ds.labeled, ds.val, "labelled", "val");
        overlap(ds.unlabeled, ds.val, "unlabelled", "val");
        overlap(ds.labeled, ds.unlabeled, "labelled", "unlabelled");

        Map<String, Need> needs = new LinkedHashMap<>();
        ds.labeled.forEach(e -> needs.merge(e.id(), new Need(e, true, false, false), VocValidator::both));
        ds.val.forEach(e -> needs.merge(e.id(), new Need(e, false, true, false), VocValidator::both));
        ds.unlabeled.forEach(e -> needs.merge(e.id(), new Need(e, false, false, ds.params.weak()), VocValidator::both));
        progress.start("validate " + ds.layout.root().getFileName(), needs.size());
        List<Checked> results = needs.values().parallelStream().map(need -> {
            Checked c = check(need);
            synchronized (progress) {
                progress.advance(1);
            }
            return c;
        }).toList();
        progress.done();

        long[][] pixels = new long[2][256];
        long[][] images = new long[2][256];
        for (Checked c : results) {
            c.problems.forEach(p -> errors.add(p[0], p[1]));
            if (c.histogram != null) {
                for (int split = 0; split < 2; split++) {
                    if (split == 0 ? c.need.labeled : c.need.val) {
                        for (int v = 0; v < 256; v++) {
                            pixels[split][v] += c.histogram[v];
                            images[split][v] += c.histogram[v] > 0 ? 1 : 0;
                        }
                    }
                }
            }
        }
        histogram(pixels, images);
        List<String> absentVal = absent(pixels[1]);
        if (!absentVal.isEmpty()) {
            warnings.add("classes", "classes absent from val (their IoU is undefined): " + String.join(", ", absentVal));
        }
        List<String> absentLabeled = absent(pixels[0]);
        if (!absentLabeled.isEmpty()) {
            warnings.add("classes", "classes absent from the labelled images: " + String.join(", ", absentLabeled));
        }
        return new ValidationReport(summary, warnings.lines(), errors.lines());
    }

    private static Need both(Need a, Need b) {
        return new Need(a.entry, a.labeled || b.labeled, a.val || b.val, a.tags || b.tags);
    }

    private Checked check(Need need) {
        List<String[]> problems = new ArrayList<>();
        Path imageFile = ds.imageFile(need.entry);
        RgbImage image = null;
        try {
            image = ds.readImage(imageFile);
        } catch (DataException e) {
            problems.add(new String[] {"image", e.getMessage()});
        }
        long[] histogram = null;
        if (need.labeled || need.val) {
            try {
                histogram = ds.readMask(need.entry, image, imageFile).histogram();
            } catch (DataException e) {
                problems.add(new String[] {"mask", e.getMessage()});
            }
        }
        if (need.tags) {
            try {
                ds.readTags(need.entry.id());
            } catch (DataException e) {
                problems.add(new String[] {"annotation", e.getMessage()});
            }
        }
        return new Checked(need, histogram, problems);
    }

    /** Every list in ImageSets/Segmentation: rejected entries and duplicate ids. */
    private void checkLists() {
        List<Path> files;
        try (Stream<Path> s = Files.list(ds.layout.lists())) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        } catch (IOException e) {
            errors.add("list", ds.layout.lists() + ": cannot list: " + e);
            return;
        }
        Map<Path, Listing> parsed = new HashMap<>();
        ds.usedLists().forEach(l -> parsed.put(l.file(), l));
        for (Path file : files) {
            Listing listing = parsed.containsKey(file) ? parsed.get(file) : VocLists.read(file);
            listing.rejected().forEach(r -> errors.add("list", file + ": " + r));
            Map<String, Integer> firstLine = new HashMap<>();
            for (Entry e : listing.entries()) {
                Integer before = firstLine.putIfAbsent(e.id(), e.line());
                if (before != null) {
                    errors.add("duplicate", file + ": line " + e.line() + ": id '" + e.id() + "' already on line " + before);
                }
            }
        }
    }

    private void overlap(List<Entry> a, List<Entry> b, String nameA, String nameB) {
        Set<String> ids = a.stream().map(Entry::id).collect(Collectors.toSet());
        List<String> both = b.stream().map(Entry::id).filter(ids::contains).distinct().toList();
        if (!both.isEmpty()) {
            errors.add("overlap", both.size() + " images are both " + nameA + " and " + nameB + " (e.g. '"
                    + both.get(0) + "'): the splits must be disjoint");
        }
    }

    private List<String> absent(long[] pixels) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < ds.classNames.size(); c++) {
            if (pixels[c] == 0) {
                names.add(ds.classNames.get(c));
            }
        }
        return names;
    }

    private void histogram(long[][] pixels, long[][] images) {
        int width = Math.max(12, ds.classNames.stream().mapToInt(String::length).max().orElse(0) + 2);
        summary.add(String.format("%-" + width + "s %14s %8s %14s %8s", "class", "labeled px", "images", "val px", "images"));
        for (int c = 0; c < ds.classNames.size(); c++) {
            summary.add(String.format("%-" + width + "s %14d %8d %14d %8d", ds.classNames.get(c), pixels[0][c], images[0][c],
                    pixels[1][c], images[1][c]));
        }
        summary.add(String.format("%-" + width + "s %14d %8d %14d %8d", "ignore (255)", pixels[0][255], images[0][255],
                pixels[1][255], images[1][255]));
    }

    /** Problem lines, at most {@link #MAX_PER_KIND} of each kind, then one line saying how many more. */
    private static final class Problems {
        private final Map<String, List<String>> byKind = new LinkedHashMap<>();
        private final Map<String, Integer> counts = new HashMap<>();
        private int count;

        void add(String kind, String line) {
            count++;
            int n = counts.merge(kind, 1, Integer::sum);
            if (n <= MAX_PER_KIND) {
                byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(line);
            }
        }

        List<String> lines() {
            List<String> out = new ArrayList<>();
            byKind.forEach((kind, lines) -> {
                out.addAll(lines);
                int more = counts.get(kind) - lines.size();
                if (more > 0) {
                    out.add("... and " + more + " more " + kind + " problems");
                }
            });
            return out;
        }
    }
}
