package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Module;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.SegDataset;
import io.sslseg.api.data.Split;
import io.sslseg.platform.plugins.ComponentCatalog;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The dataset contract, for a dataset as a config names it, built through the platform twice:
 * <ul>
 *   <li>{@code classes}: a non-blank identity and distinct, non-blank class names;</li>
 *   <li>{@code samples}: in every split, ids are unique and each sample carries its list's id; labelled and val
 *       samples have a mask, unlabelled and weak ones none (their true masks only through
 *       {@link SegDataset#referenceMask}, of the image's size); weak samples have tags, all foreground ids;
 *       every mask value is a class id or 255; no val image is also a training image;</li>
 *   <li>{@code deterministic}: a second build has the same identity and ids and loads the same images, masks and
 *       tags (a run that resumes compares the identity, and training must see the same data).</li>
 * </ul>
 * Samples are checked at the first and last index and at up to six in between.
 *
 * <pre>{@code @TestFactory Stream<DynamicTest> contract() {
 *     return DatasetContract.check("{type: my-data, root: " + folder + "}", new MyModule());
 * }}</pre>
 */
public final class DatasetContract {
    private static final int SPREAD = 6;

    private DatasetContract() {}

    /**
     * @param dataset the dataset's config block, in YAML flow style ({@code {type: voc, root: /data/voc}})
     * @param modules the plugins' modules it needs
     */
    public static Stream<DynamicTest> check(String dataset, Module... modules) {
        ComponentCatalog catalog = TestPlatform.catalog(modules);
        return Stream.of(
                DynamicTest.dynamicTest(dataset + " classes", () -> classes(build(catalog, dataset))),
                DynamicTest.dynamicTest(dataset + " samples", () -> samples(build(catalog, dataset))),
                DynamicTest.dynamicTest(dataset + " deterministic",
                        () -> sameData(build(catalog, dataset), build(catalog, dataset))));
    }

    private static SegDataset build(ComponentCatalog catalog, String dataset) {
        return TestPlatform.experiment(catalog, "dataset=" + dataset).data();
    }

    public static void classes(SegDataset data) {
        assertFalse(data.info().identity().isBlank(), "the dataset's identity is blank");
        List<String> names = data.info().classNames();
        assertEquals(names.size(), new HashSet<>(names).size(), "class names repeat: " + names);
        names.forEach(n -> assertFalse(n.isBlank(), "a blank class name in " + names));
    }

    public static void samples(SegDataset data) {
        int classes = data.info().numClasses();
        for (Split split : Split.values()) {
            SampleList list = data.split(split);
            List<String> ids = list.ids();
            assertEquals(ids.size(), new HashSet<>(ids).size(), split + ": ids repeat");
            for (int i : indices(list.size())) {
                String where = split + " sample " + i + " (" + list.id(i) + ")";
                Sample s = list.load(i);
                assertEquals(list.id(i), s.id(), where + ": the sample's id is not its list's");
                assertTrue(s.image().width() > 0 && s.image().height() > 0, where + ": empty image");
                switch (split) {
                    case LABELED, VAL -> {
                        assertNotNull(s.mask(), where + ": no mask");
                        checkLabels(where, s.mask(), classes);
                    }
                    case UNLABELED, WEAK -> {
                        assertNull(s.mask(), where + ": a mask on a split that hides it (use referenceMask)");
                        LabelMask reference = data.referenceMask(split, i);
                        if (reference != null) {
                            assertEquals(s.image().width(), reference.width(), where + ": reference mask width");
                            assertEquals(s.image().height(), reference.height(), where + ": reference mask height");
                            checkLabels(where + " reference mask", reference, classes);
                        }
                    }
                }
                if (split == Split.WEAK) {
                    assertNotNull(s.tags(), where + ": a weak sample without tags");
                    for (int tag : s.tags()) {
                        assertTrue(tag >= 1 && tag < classes, where + ": tag " + tag + " is not a foreground class");
                    }
                }
            }
        }
        Set<String> val = new TreeSet<>(data.split(Split.VAL).ids());
        for (Split training : List.of(Split.LABELED, Split.UNLABELED, Split.WEAK)) {
            Set<String> both = new TreeSet<>(data.split(training).ids());
            both.retainAll(val);
            assertTrue(both.isEmpty(), "val images also in " + training + ": " + both.stream().limit(5).toList());
        }
    }

    public static void sameData(SegDataset first, SegDataset second) {
        assertEquals(first.info(), second.info(), "a second build has other classes or another identity");
        for (Split split : Split.values()) {
            SampleList a = first.split(split);
            SampleList b = second.split(split);
            assertEquals(a.ids(), b.ids(), split + ": a second build lists other samples");
            for (int i : indices(a.size())) {
                Sample x = a.load(i);
                Sample y = b.load(i);
                String where = split + " sample " + i + " (" + x.id() + ")";
                assertArrayEquals(x.image().rgb(), y.image().rgb(), where + ": another image on a second load");
                assertArrayEquals(x.mask() == null ? null : x.mask().labels(), y.mask() == null ? null : y.mask().labels(),
                        where + ": another mask on a second load");
                assertEquals(x.tags(), y.tags(), where + ": other tags on a second load");
            }
        }
    }

    private static void checkLabels(String where, LabelMask mask, int classes) {
        for (byte b : mask.labels()) {
            int v = b & 0xFF;
            assertTrue(v < classes || v == LabelMask.IGNORE, where + ": mask value " + v + " is no class id and not 255");
        }
    }

    private static Set<Integer> indices(int size) {
        Set<Integer> out = new TreeSet<>();
        if (size == 0) {
            return out;
        }
        out.add(0);
        out.add(size - 1);
        for (int k = 1; k <= SPREAD; k++) {
            out.add((int) ((long) size * k / (SPREAD + 1)));
        }
        return out;
    }
}
