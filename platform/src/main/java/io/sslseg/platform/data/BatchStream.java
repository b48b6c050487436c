package io.sslseg.platform.data;

import io.sslseg.api.data.AugmentView;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.SplitMix64;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches from one split, loaded and augmented ahead of the consumer on background threads.
 *
 * <p>{@link #training} cycles forever: pass {@code e} visits the split in a shuffle seeded by (seed, e),
 * and batches run across pass boundaries, so every batch is full. {@link #eval} goes once, in order,
 * without augmentation, and starts a new batch whenever the image size changes.
 *
 * <p>Determinism: each sample's augmentation draws from a generator seeded by (seed, pass, position in
 * the pass), so the batches do not depend on thread timing: with or without prefetching they are
 * identical, and a stream built at batch {@code k} ({@link #training}'s {@code startBatch}) continues
 * exactly as the stream that had delivered {@code k} batches. A load failure (a {@code DataException}
 * naming the file) is rethrown by {@link #next} on the consumer's thread.
 */
public final class BatchStream implements Iterator<Batch>, AutoCloseable {
    private static final long SHUFFLE_STREAM = 0x5348_5546L;
    private static final long AUGMENT_STREAM = 0x4155_474DL;
    private static final AtomicInteger THREADS = new AtomicInteger();

    /**
     * How much work runs ahead of the consumer.
     *
     * @param workers loader threads; 0 loads on the consumer's thread (no prefetch)
     * @param batches batches in flight (samples are submitted one by one, up to this many batches ahead)
     */
    public record Prefetch(int workers, int batches) {
        public static final Prefetch NONE = new Prefetch(0, 0);

        public Prefetch {
            if (workers < 0 || batches < 0 || (workers > 0 && batches < 1)) {
                throw new IllegalArgumentException("prefetch needs workers >= 0 and, with workers, batches >= 1;"
                        + " got workers=" + workers + " batches=" + batches);
            }
        }

        /**
         * {@code batches} ahead (0: no prefetch) on one loader thread per core but one, which is left to the
         * training step: on 2 cores a single loader already hides the data time behind a step.
         */
        public static Prefetch ahead(int batches) {
            return batches == 0 ? NONE : new Prefetch(Math.max(1, Runtime.getRuntime().availableProcessors() - 1), batches);
        }
    }

    /** One sample, loaded and turned into arrays. */
    private record Prepared(String id, int height, int width, float[] image, byte[] mask, Set<Integer> tags,
            AugmentView view) {}

    private final SampleList list;
    private final int batchSize;
    private final Augmenter augmenter;
    private final long seed;
    private final boolean cycle;
    private final long endPosition;
    private final ExecutorService pool;
    private final int window;
    private final ArrayDeque<Future<Prepared>> inFlight = new ArrayDeque<>();
    /** The shuffles of the passes being loaded; the loaders straddle at most two passes. */
    private final Map<Long, int[]> permutations = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, int[]> eldest) {
            return size() > 2;
        }
    };
    private long nextSubmit;
    private long nextTake;
    private long batchesDelivered;
    private Prepared pending;

    private BatchStream(SampleList list, int batchSize, Augmenter augmenter, long seed, boolean cycle,
            long startBatch, Prefetch prefetch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.list = list;
        this.batchSize = batchSize;
        this.augmenter = augmenter;
        this.seed = seed;
        this.cycle = cycle;
        this.endPosition = cycle ? Long.MAX_VALUE : list.size();
        this.nextSubmit = startBatch * batchSize;
        this.nextTake = nextSubmit;
        this.batchesDelivered = startBatch;
        this.window = prefetch.batches() * batchSize;
        this.pool = prefetch.workers() == 0 ? null : Executors.newFixedThreadPool(prefetch.workers(), r -> {
            Thread t = new Thread(r, "sslseg-data-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * An endless, shuffled, augmented stream of {@code batchSize}-sample batches.
     *
     * @param augmenter null: images at their own size, no augmentation (batches then group equal sizes)
     * @param startBatch batches already consumed by an earlier run: the stream resumes after them
     */
    public static BatchStream training(SampleList list, int batchSize, Augmenter augmenter, long seed,
            long startBatch, Prefetch prefetch) {
        if (list.size() == 0) {
            throw new IllegalArgumentException("cannot draw training batches from an empty split");
        }
        if (startBatch < 0) {
            throw new IllegalArgumentException("startBatch must be >= 0, got " + startBatch);
        }
        return new BatchStream(list, batchSize, augmenter, seed, true, startBatch, prefetch);
    }

    /** One ordered pass over {@code list}, images at their own size, consecutive same-size images batched. */
    public static BatchStream eval(SampleList list, int batchSize, Prefetch prefetch) {
        return new BatchStream(list, batchSize, null, 0, false, 0, prefetch);
    }

    /** Batches delivered so far, counting those skipped by {@code startBatch}: what a checkpoint records. */
    public long position() {
        return batchesDelivered;
    }

    @Override
    public boolean hasNext() {
        return pending != null || nextTake < endPosition;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the split has no more samples");
        }
        List<Prepared> items = new ArrayList<>(batchSize);
        items.add(pending != null ? pending : take());
        pending = null;
        Prepared first = items.get(0);
        while (items.size() < batchSize && nextTake < endPosition) {
            Prepared p = take();
            if (p.height != first.height || p.width != first.width) {
                pending = p; // starts the next batch
                break;
            }
            items.add(p);
        }
        batchesDelivered++;
        return assemble(items);
    }

    private Batch assemble(List<Prepared> items) {
        int n = items.size();
        int h = items.get(0).height;
        int w = items.get(0).width;
        int pixels = h * w;
        float[] images = new float[n * 3 * pixels];
        boolean anyMask = items.stream().anyMatch(p -> p.mask != null);
        byte[] masks = anyMask ? new byte[n * pixels] : null;
        List<String> ids = new ArrayList<>(n);
        List<Set<Integer>> tags = new ArrayList<>(n);
        List<AugmentView> views = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Prepared p = items.get(i);
            System.arraycopy(p.image, 0, images, i * 3 * pixels, 3 * pixels);
            if (anyMask) {
                if (p.mask != null) {
                    System.arraycopy(p.mask, 0, masks, i * pixels, pixels);
                } else {
                    Arrays.fill(masks, i * pixels, (i + 1) * pixels, (byte) 255);
                }
            }
            ids.add(p.id);
            tags.add(p.tags);
            views.add(p.view);
        }
        return new Batch(n, h, w, images, masks, ids, tags, views);
    }

    /** The sample at the next position: from the prefetch window, or loaded here without prefetch. */
    private Prepared take() {
        long position = nextTake++;
        if (pool == null) {
            return prepare(position);
        }
        while (nextSubmit < endPosition && inFlight.size() < window) {
            long p = nextSubmit++;
            inFlight.add(pool.submit(() -> prepare(p)));
        }
        Future<Prepared> future = inFlight.poll();
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            // The loader's exception (a DataException naming the file) surfaces on the consumer's thread.
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (CancellationException e) {
            throw new IllegalStateException("the batch stream was closed", e);
        }
    }

    /** Loads and converts the sample at a stream position; a pure function of (seed, position). */
    private Prepared prepare(long position) {
        int size = list.size();
        long pass = position / size;
        int offset = (int) (position % size);
        int index = cycle ? permutation(pass)[offset] : offset;
        Sample s = list.load(index);
        if (augmenter == null) {
            int h = s.image().height();
            int w = s.image().width();
            float[] image = new float[3 * h * w];
            Batch.writeImage(s.image(), image, 0);
            return new Prepared(s.id(), h, w, image, s.mask() == null ? null : s.mask().labels(), s.tags(),
                    AugmentView.identity(w, h));
        }
        int crop = augmenter.config().crop();
        float[] image = new float[3 * crop * crop];
        byte[] mask = s.mask() == null ? null : new byte[crop * crop];
        AugmentView view = augmenter.apply(s.image(), s.mask(), SplitMix64.of(seed, AUGMENT_STREAM, pass, offset),
                image, 0, mask, 0);
        return new Prepared(s.id(), crop, crop, image, mask, s.tags(), view);
    }

    /** The shuffle of one pass. */
    private synchronized int[] permutation(long pass) {
        return permutations.computeIfAbsent(pass, p -> SplitMix64.of(seed, SHUFFLE_STREAM, p).permutation(list.size()));
    }

    @Override
    public void close() {
        if (pool != null) {
            inFlight.forEach(f -> f.cancel(true));
            inFlight.clear();
            pool.shutdownNow();
        }
    }
}
