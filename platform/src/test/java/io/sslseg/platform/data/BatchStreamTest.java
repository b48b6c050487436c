package io.sslseg.platform.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.api.data.DataException;
import io.sslseg.api.data.SampleList;
import io.sslseg.platform.data.BatchStream.Prefetch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchStreamTest {
    private static final Augmenter AUG = new Augmenter(new AugmentConfig(0.75, 1.5, 16, true));
    private static final Prefetch PREFETCH = new Prefetch(2, 2);

    private static List<Batch> take(BatchStream stream, int n) {
        List<Batch> out = new ArrayList<>();
        try (stream) {
            for (int i = 0; i < n; i++) {
                out.add(stream.next());
            }
        }
        return out;
    }

    private static void assertSame(List<Batch> a, List<Batch> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).ids(), b.get(i).ids(), "batch " + i);
            assertArrayEquals(a.get(i).images(), b.get(i).images(), "batch " + i);
            assertArrayEquals(a.get(i).masks(), b.get(i).masks(), "batch " + i);
        }
    }

    @Test
    void trainingBatchesHaveTheCropShape() {
        Batch b = take(BatchStream.training(TestLists.uniform(10, 20, true), 4, AUG, 1, 0, PREFETCH), 1).get(0);
        assertEquals(4, b.n());
        assertEquals(16, b.height());
        assertEquals(16, b.width());
        assertEquals(4 * 3 * 16 * 16, b.images().length);
        assertEquals(4 * 16 * 16, b.masks().length);
        assertEquals(4, b.ids().size());
    }

    @Test
    void eachPassVisitsEverySampleInAFreshOrder() {
        List<Batch> batches = take(BatchStream.training(TestLists.uniform(10, 20, true), 5, AUG, 1, 0, PREFETCH), 6);
        List<List<String>> passes = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            List<String> ids = new ArrayList<>(batches.get(2 * p).ids());
            ids.addAll(batches.get(2 * p + 1).ids());
            assertEquals(10, new HashSet<>(ids).size(), "pass " + p + " visits every sample once");
            passes.add(ids);
        }
        assertNotEquals(passes.get(0), passes.get(1));
        assertNotEquals(passes.get(1), passes.get(2));
    }

    @Test
    void batchesCrossPassBoundaries() {
        List<Batch> batches = take(BatchStream.training(TestLists.uniform(3, 20, true), 2, AUG, 1, 0, Prefetch.NONE), 3);
        List<String> ids = new ArrayList<>();
        batches.forEach(b -> ids.addAll(b.ids()));
        assertEquals(Set.of("s0", "s1", "s2"), new HashSet<>(ids.subList(0, 3)));
        assertEquals(Set.of("s0", "s1", "s2"), new HashSet<>(ids.subList(3, 6)));
    }

    @Test
    void deterministicAndIndependentOfPrefetch() {
        SampleList list = TestLists.uniform(13, 20, true);
        List<Batch> a = take(BatchStream.training(list, 4, AUG, 9, 0, Prefetch.NONE), 8);
        List<Batch> b = take(BatchStream.training(list, 4, AUG, 9, 0, PREFETCH), 8);
        List<Batch> c = take(BatchStream.training(list, 4, AUG, 9, 0, new Prefetch(1, 5)), 8);
        assertSame(a, b);
        assertSame(a, c);
        List<Batch> other = take(BatchStream.training(list, 4, AUG, 10, 0, PREFETCH), 8);
        assertFalse(a.get(0).ids().equals(other.get(0).ids())
                && java.util.Arrays.equals(a.get(0).images(), other.get(0).images()), "another seed, other batches");
    }

    @Test
    void resumedStreamContinuesTheSameSequence() {
        SampleList list = TestLists.uniform(7, 20, true);
        List<Batch> full = take(BatchStream.training(list, 3, AUG, 4, 0, PREFETCH), 9);
        BatchStream resumed = BatchStream.training(list, 3, AUG, 4, 5, PREFETCH);
        assertEquals(5, resumed.position());
        List<Batch> rest = take(resumed, 4);
        assertSame(full.subList(5, 9), rest);
        assertEquals(9, resumed.position());
    }

    @Test
    void evalGoesOnceInOrderGroupingSameSizes() {
        SampleList list = TestLists.blocks(new int[] {8, 8, 8, 6, 8}, true, -1);
        List<Batch> batches = new ArrayList<>();
        try (BatchStream s = BatchStream.eval(list, 2, PREFETCH)) {
            s.forEachRemaining(batches::add);
        }
        assertEquals(4, batches.size());
        assertEquals(List.of("s0", "s1"), batches.get(0).ids());
        assertEquals(List.of("s2"), batches.get(1).ids());
        assertEquals(List.of("s3"), batches.get(2).ids());
        assertEquals(6, batches.get(2).width());
        assertEquals(List.of("s4"), batches.get(3).ids());
        assertArrayEquals(list.load(3).mask().labels(), batches.get(2).masks());
        float[] expected = new float[3 * 64];
        Batch.writeImage(list.load(4).image(), expected, 0);
        assertArrayEquals(expected, batches.get(3).images());
    }

    @Test
    void unlabeledBatchesHaveNoMasksButTags() {
        Batch b = take(BatchStream.training(TestLists.uniform(5, 20, false), 2, AUG, 1, 0, PREFETCH), 1).get(0);
        assertNull(b.masks());
        assertEquals(2, b.tags().size());
        assertTrue(b.tags().get(0).size() == 1);
    }

    @Test
    void paddingInABatchIsIgnoreLabel() {
        Augmenter big = new Augmenter(new AugmentConfig(1, 1, 24, false));
        Batch b = take(BatchStream.training(TestLists.uniform(4, 20, true), 2, big, 1, 0, Prefetch.NONE), 1).get(0);
        assertEquals((byte) 255, b.masks()[23 * 24 + 23]);
        assertEquals((byte) 255, b.masks()[24 * 24 + 22]);
    }

    @Test
    void loadErrorsReachTheConsumerWithTheFileName() {
        SampleList broken = TestLists.blocks(new int[] {8, 8, 8, 8, 8, 8}, true, 3);
        for (Prefetch prefetch : List.of(Prefetch.NONE, PREFETCH)) {
            try (BatchStream s = BatchStream.eval(broken, 2, prefetch)) {
                s.next();
                DataException e = assertThrows(DataException.class, s::next);
                assertEquals(Path.of("JPEGImages/s3.jpg"), e.file());
            }
        }
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(IllegalArgumentException.class,
                () -> BatchStream.training(SampleList.EMPTY, 2, AUG, 1, 0, PREFETCH));
        assertThrows(IllegalArgumentException.class, () -> new Prefetch(2, 0));
    }
}
