package io.sslseg.fashionscenes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.sslseg.api.Progress;
import io.sslseg.api.data.DataException;
import io.sslseg.api.data.DatasetFactory;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.SegDataset;
import io.sslseg.api.data.Split;
import io.sslseg.api.data.voc.VocAnnotation;
import io.sslseg.api.data.voc.VocImages;
import io.sslseg.api.data.voc.VocLayout;
import io.sslseg.api.data.voc.VocLists;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionScenesTest {
    private static final FashionScenesParams SMALL = new FashionScenesParams(300, 40, 100, 7, 64, "embedded", true);

    @TempDir
    Path dir;

    @Test
    void sameParametersGiveIdenticalScenes() {
        SegDataset a = new FashionScenes(SMALL);
        SegDataset b = new FashionScenes(SMALL);
        for (Split split : List.of(Split.LABELED, Split.VAL)) {
            for (int i = 0; i < 20; i++) {
                Sample x = a.split(split).load(i);
                Sample y = b.split(split).load(i);
                assertEquals(x.id(), y.id());
                assertArrayEquals(x.image().rgb(), y.image().rgb());
                assertArrayEquals(x.mask().labels(), y.mask().labels());
                assertEquals(x.tags(), y.tags());
            }
        }
        assertEquals(a.info().identity(), b.info().identity());
    }

    @Test
    void otherSeedsGiveOtherScenesNotShiftedCopies() {
        FashionScenes a = new FashionScenes(SMALL);
        FashionScenes b = new FashionScenes(new FashionScenesParams(300, 40, 100, 8, 64, "embedded", true));
        List<byte[]> fromA = new ArrayList<>();
        List<byte[]> fromB = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            fromA.add(a.generator().scene(false, i).image().rgb());
            fromB.add(b.generator().scene(false, i).image().rgb());
        }
        for (byte[] x : fromA) {
            for (byte[] y : fromB) {
                assertFalse(java.util.Arrays.equals(x, y), "seed 8 reproduces a scene of seed 7");
            }
        }
        assertNotEquals(a.info().identity(), b.info().identity());
    }

    @Test
    void masksTagsAndSplitsFollowTheSpec() {
        FashionScenes ds = new FashionScenes(SMALL);
        assertEquals(11, ds.info().numClasses());
        for (Split split : List.of(Split.LABELED, Split.VAL)) {
            SampleList list = ds.split(split);
            for (int i = 0; i < 40; i++) {
                Sample s = list.load(i);
                assertEquals(64, s.image().width());
                int[] counts = new int[256];
                for (byte b : s.mask().labels()) {
                    counts[b & 0xFF]++;
                }
                Set<Integer> expectedTags = new TreeSet<>();
                for (int v = 0; v < 256; v++) {
                    if (counts[v] > 0) {
                        assertTrue(v <= 10 || v == LabelMask.IGNORE, "mask value " + v + " in " + s.id());
                    }
                    if (v >= 1 && v <= 10 && counts[v] >= 20) {
                        expectedTags.add(v);
                    }
                }
                assertEquals(expectedTags, s.tags(), s.id());
                assertTrue(counts[0] > 0, "some background");
            }
        }
        assertEquals(100, ds.split(Split.LABELED).size());
        assertEquals(200, ds.split(Split.UNLABELED).size());
        assertEquals(ds.split(Split.UNLABELED).ids(), ds.split(Split.WEAK).ids());
        Set<String> pool = new HashSet<>(ds.split(Split.LABELED).ids());
        pool.addAll(ds.split(Split.UNLABELED).ids());
        assertEquals(300, pool.size(), "labelled and unlabelled partition the pool");
        Sample u = ds.split(Split.UNLABELED).load(0);
        assertNull(u.mask());
        assertNull(u.tags());
        Sample w = ds.split(Split.WEAK).load(0);
        assertNull(w.mask());
        assertEquals(ds.generator().scene(false, Integer.parseInt(w.id().substring(6))).tags(), w.tags());
        assertEquals(0, new FashionScenes(new FashionScenesParams(300, 40, 100, 7, 64, "embedded", false))
                .split(Split.WEAK).size());
    }

    @Test
    void labeledSubsetsAreNestedPrefixes() {
        List<String> small = new FashionScenes(new FashionScenesParams(300, 40, 50, 7, 64, "embedded", true))
                .split(Split.LABELED).ids();
        List<String> large = new FashionScenes(new FashionScenesParams(300, 40, 200, 7, 64, "embedded", true))
                .split(Split.LABELED).ids();
        assertEquals(small, large.subList(0, 50));
        assertNotEquals(large.subList(0, 50), new ArrayList<>(new TreeSet<>(large)).subList(0, 50), "shuffled, not sorted");
    }

    /** A smaller unlabelled pool is a prefix of the full one and leaves the labelled subset untouched. */
    @Test
    void unlabeledLimitKeepsTheLabeledSubset() {
        FashionScenes all = new FashionScenes(new FashionScenesParams(300, 40, 100, 7, 64, "embedded", true));
        FashionScenes some = new FashionScenes(new FashionScenesParams(300, 40, 100, 7, 64, "embedded", true, 60));
        assertEquals(all.split(Split.LABELED).ids(), some.split(Split.LABELED).ids());
        assertEquals(200, all.split(Split.UNLABELED).size());
        assertEquals(all.split(Split.UNLABELED).ids().subList(0, 60), some.split(Split.UNLABELED).ids());
        assertEquals(some.split(Split.UNLABELED).ids(), some.split(Split.WEAK).ids());
        assertNotEquals(all.identity(), some.identity(), "the limit is part of the dataset's identity");
        assertThrows(IllegalArgumentException.class,
                () -> new FashionScenesParams(300, 40, 100, 7, 64, "embedded", true, 201));
        // a smaller train pool, by contrast, reshuffles everything: not a way to shrink the unlabelled split
        FashionScenes smallPool = new FashionScenes(new FashionScenesParams(160, 40, 100, 7, 64, "embedded", true));
        assertNotEquals(all.split(Split.LABELED).ids(), smallPool.split(Split.LABELED).ids());
    }

    /** Train items come from the train part only, val items from the test part only, and the ignore band holds. */
    @Test
    void itemsComeFromTheirOwnPartAndEdgesAreIgnored() {
        // Synthetic items: train ones are classes 0..4, test ones 5..9; every item is a square of
        // intensity 255 ringed by a band of 50 (alpha 0.196, the ignore band) and then 20 (below it).
        int n = 30;
        byte[] trainImages = new byte[n * FashionMnist.PIXELS];
        byte[] testImages = new byte[n * FashionMnist.PIXELS];
        byte[] trainLabels = new byte[n];
        byte[] testLabels = new byte[n];
        for (int i = 0; i < n; i++) {
            trainLabels[i] = (byte) (i % 5);
            testLabels[i] = (byte) (5 + i % 5);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int ring = Math.min(Math.min(x, y), Math.min(27 - x, 27 - y));
                    byte v = (byte) (ring < 4 ? 0 : ring < 6 ? 20 : ring < 8 ? 50 : 255);
                    trainImages[i * FashionMnist.PIXELS + y * 28 + x] = v;
                    testImages[i * FashionMnist.PIXELS + y * 28 + x] = v;
                }
            }
        }
        SceneGenerator gen = new SceneGenerator(
                new FashionMnist(trainImages, trainLabels, testImages, testLabels, "synthetic"), 1, 64);
        for (int i = 0; i < 30; i++) {
            assertClasses(gen.scene(false, i).mask(), 1, 5);
            assertClasses(gen.scene(true, i).mask(), 6, 10);
        }
    }

    private static void assertClasses(LabelMask mask, int lo, int hi) {
        boolean ignore = false;
        for (byte b : mask.labels()) {
            int v = b & 0xFF;
            ignore |= v == 255;
            assertTrue(v == 0 || v == 255 || (v >= lo && v <= hi), "class " + v + " outside " + lo + ".." + hi);
        }
        assertTrue(ignore, "every item has an ignore band");
    }

    @Test
    void canvasSizeIsAParameter() {
        Sample s = new FashionScenes(new FashionScenesParams(10, 5, 5, 1, 96, "embedded", true)).split(Split.VAL).load(0);
        assertEquals(96, s.image().width());
        assertEquals(96, s.mask().height());
    }

    @Test
    void theDefaultPoolIsTheSameScenesEachTimeItIsMade() {
        // (its generation speed is a benchmark, not a test: `sslseg bench data`)
        FashionScenes a = new FashionScenes(FashionScenesParams.DEFAULTS);
        FashionScenes b = new FashionScenes(FashionScenesParams.DEFAULTS);
        for (Split split : List.of(Split.LABELED, Split.UNLABELED, Split.VAL)) {
            SampleList x = a.split(split);
            SampleList y = b.split(split);
            assertEquals(x.size(), y.size(), split.toString());
            for (int i : new int[] {0, 1, x.size() / 2, x.size() - 1}) { // spread over the split
                Sample s = x.load(i);
                Sample t = y.load(i);
                assertEquals(64 * 64 * 3, s.image().rgb().length, split + " " + i);
                assertArrayEquals(s.image().rgb(), t.image().rgb(), split + " " + i);
                if (s.mask() != null) {
                    assertArrayEquals(s.mask().labels(), t.mask().labels(), split + " " + i);
                }
            }
        }
    }

    @Test
    void exportWritesAVocFolder() throws Exception {
        FashionScenes ds = new FashionScenes(new FashionScenesParams(120, 12, 60, 3, 64, "embedded", true));
        Path out = dir.resolve("fs");
        AtomicLong advanced = new AtomicLong();
        ds.exportVoc(out, new Progress() {
            @Override
            public void start(String task, long total) {
                assertEquals(132, total);
            }

            @Override
            public void advance(long steps) {
                advanced.addAndGet(steps);
            }

            @Override
            public void done() {}
        });
        assertEquals(132, advanced.get());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(out), left.toList(), "no partial folder left beside the result");
        }
        VocLayout voc = VocLayout.locate(out);
        assertEquals(120, VocLists.read(voc.list("train")).entries().size());
        assertEquals(12, VocLists.read(voc.list("val")).entries().size());
        List<String> l50 = VocLists.read(voc.list("labeled_50")).ids();
        List<String> l60 = VocLists.read(voc.list("labeled_60")).ids();
        List<String> l100 = VocLists.read(voc.list("labeled_100")).ids();
        assertEquals(l50, l100.subList(0, 50));
        assertEquals(ds.split(Split.LABELED).ids(), l60);
        assertFalse(Files.exists(voc.list("labeled_200")), "subsets larger than the pool are not written");
        assertEquals(FashionScenes.CLASS_NAMES, VocLists.readLines(voc.classes()));
        assertTrue(Files.readString(voc.origin()).startsWith("fashion-scenes v1 seed=3"));

        Sample s = ds.split(Split.VAL).load(4);
        assertArrayEquals(s.image().rgb(), VocImages.readRgb(voc.images().resolve(s.id() + ".png")).rgb());
        assertArrayEquals(s.mask().labels(), VocImages.readMask(voc.masks().resolve(s.id() + ".png")).labels());
        Set<Integer> tags = new TreeSet<>();
        for (String name : VocAnnotation.readObjectNames(voc.annotation(s.id()))) {
            tags.add(FashionScenes.CLASS_NAMES.indexOf(name));
        }
        assertEquals(s.tags(), tags);

        DataException again = assertThrows(DataException.class, () -> ds.exportVoc(out, Progress.NONE));
        assertTrue(again.getMessage().contains("already exists"), again.getMessage());
    }

    @Test
    void wrongSourcePathSaysHowToInstall() {
        Path missing = dir.resolve("nowhere");
        DataException e = assertThrows(DataException.class,
                () -> new FashionScenes(new FashionScenesParams(10, 5, 5, 1, 64, missing.toString(), true)));
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void parametersAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FashionScenesParams(100, 10, 1000, 1, 64, "", true));
        assertTrue(e.getMessage().startsWith("labeled must be 1..100"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FashionScenesParams(100, 10, 10, 1, 40, "", true));
        assertTrue(e.getMessage().startsWith("size must be 50..1024"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FashionScenesParams(0, 10, 10, 1, 64, "", true));
        assertThrows(IllegalArgumentException.class, () -> new FashionScenesParams(100, 0, 10, 1, 64, "", true));
    }

    @Test
    void moduleRegistersTheComponent() {
        Map<String, DatasetFactory<?>> datasets = Guice.createInjector(new FashionScenesModule())
                .getInstance(Key.get(new TypeLiteral<Map<String, DatasetFactory<?>>>() {}));
        DatasetFactory<?> factory = datasets.get("fashion-scenes");
        assertEquals(FashionScenesParams.class, factory.paramsType());
        assertEquals(FashionScenesParams.DEFAULTS, factory.defaults());
    }
}
