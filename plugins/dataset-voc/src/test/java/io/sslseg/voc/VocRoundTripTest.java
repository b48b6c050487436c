package io.sslseg.voc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.api.Progress;
import io.sslseg.api.data.DatasetContext;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.SegDataset;
import io.sslseg.api.data.Split;
import io.sslseg.api.data.ValidationReport;
import io.sslseg.api.data.VocExportable;
import io.sslseg.fashionscenes.FashionScenes;
import io.sslseg.fashionscenes.FashionScenesParams;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the FashionScenes exporter writes, this reader gives back: same pixels, masks and tags. */
class VocRoundTripTest {
    @TempDir
    static Path dir;
    static SegDataset generated;
    static Path folder;

    @BeforeAll
    static void export() {
        generated = FashionScenes.factory().create(new FashionScenesParams(150, 30, 50, 5, 64, "embedded", true),
                new DatasetContext(dir));
        folder = dir.resolve("fashion");
        ((VocExportable) generated).exportVoc(folder, Progress.NONE);
    }

    @Test
    void readingTheExportGivesBackTheSameSamples() {
        SegDataset read = new VocDataset(folder, new VocParams(folder.toString(), 50, "train", "val", true));
        assertEquals(generated.info().classNames(), read.info().classNames());
        assertTrue(read.info().identity().contains("origin: fashion-scenes v1 seed=5"), read.info().identity());
        for (Split split : List.of(Split.LABELED, Split.VAL)) {
            SampleList a = generated.split(split);
            SampleList b = read.split(split);
            assertEquals(a.ids(), b.ids(), split + " in the same order");
            for (int i = 0; i < a.size(); i++) {
                Sample x = a.load(i);
                Sample y = b.load(i);
                assertArrayEquals(x.image().rgb(), y.image().rgb(), x.id());
                assertArrayEquals(x.mask().labels(), y.mask().labels(), x.id());
            }
        }
        // The unlabelled images come in list order here, in shuffled order there: compare by id.
        assertEquals(Set.copyOf(generated.split(Split.UNLABELED).ids()), Set.copyOf(read.split(Split.UNLABELED).ids()));
        Map<String, Sample> weak = new HashMap<>();
        SampleList w = generated.split(Split.WEAK);
        for (int i = 0; i < w.size(); i++) {
            weak.put(w.id(i), w.load(i));
        }
        SampleList rw = read.split(Split.WEAK);
        assertEquals(weak.size(), rw.size());
        for (int i = 0; i < rw.size(); i++) {
            Sample y = rw.load(i);
            assertNull(y.mask());
            assertEquals(weak.get(y.id()).tags(), y.tags(), y.id());
            assertArrayEquals(weak.get(y.id()).image().rgb(), y.image().rgb());
        }
        Sample u = read.split(Split.UNLABELED).load(0);
        assertNull(u.mask());
        assertNull(u.tags());
    }

    @Test
    void theGeneratedFolderValidates() {
        VocDataset read = new VocDataset(folder, new VocParams(folder.toString(), 0, "train", "val", false));
        ValidationReport report = read.validate(Progress.NONE);
        assertTrue(report.usable(), report.errors().toString());
        String summary = String.join("\n", report.summary());
        assertTrue(summary.contains("labeled: 150 images (train.txt)"), summary);
        assertTrue(summary.contains("val: 30 images (val.txt)"), summary);
        assertTrue(summary.contains("labelled-subset lists: labeled_50, labeled_100"), summary);
        assertTrue(summary.contains("classes: 11 (classes.txt)"), summary);
        System.out.println(String.join("\n", report.summary()));
        report.warnings().forEach(w -> System.out.println("warning: " + w));
    }
}
