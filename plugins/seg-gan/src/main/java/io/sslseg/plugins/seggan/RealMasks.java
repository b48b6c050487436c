package io.sslseg.plugins.seggan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.SplitMix64;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The discriminator's "real" inputs: ground-truth masks of labelled images drawn independently of the step's
 * labelled batch (the reference's separate, separately shuffled {@code trainloader_gt}), cut to the training
 * crop. A draw is a pure function of its generator, so a resumed run draws the same masks.
 *
 * <p>Each mask gets a random crop window (the whole mask when it is the crop's size) and a horizontal flip with
 * p = 0.5; where the mask is smaller than the crop it is padded bottom and right with 255 (ignored), as the
 * platform pads the labelled crops. Masks are cached up to {@link #CACHE_BYTES} so that small datasets are read
 * once.
 */
final class RealMasks {
    static final long CACHE_BYTES = 64L << 20;
    private final SampleList labeled;
    private final Map<Integer, LabelMask> cache = new HashMap<>();
    private long cachedBytes;

    RealMasks(SampleList labeled) {
        this.labeled = labeled;
    }

    int size() {
        return labeled.size();
    }

    /**
     * {@code n} masks as class ids n x crop x crop (int64, 255 = ignore): distinct images while the split has at
     * least {@code n}, else drawn with replacement.
     */
    NDArray draw(NDManager manager, SplitMix64 rng, int n, int cropH, int cropW) {
        int size = labeled.size();
        if (size == 0) {
            throw new SslsegException("loss term seg-gan: the labelled split is empty; the discriminator has no"
                    + " ground truth to learn from");
        }
        int[] picks = pick(rng, size, n);
        byte[] out = new byte[n * cropH * cropW];
        for (int i = 0; i < n; i++) {
            LabelMask mask = mask(picks[i]);
            int left = rng.nextIntClosed(0, Math.max(0, mask.width() - cropW));
            int top = rng.nextIntClosed(0, Math.max(0, mask.height() - cropH));
            boolean flip = rng.nextBoolean();
            cut(mask, left, top, flip, out, i * cropH * cropW, cropH, cropW);
        }
        return manager.create(ByteBuffer.wrap(out), new Shape(n, cropH, cropW), DataType.UINT8)
                .toType(DataType.INT64, false);
    }

    /** {@code n} indices in [0, size): a partial Fisher-Yates shuffle when size >= n, else independent draws. */
    static int[] pick(SplitMix64 rng, int size, int n) {
        int[] picks = new int[n];
        if (size >= n) {
            Map<Integer, Integer> swapped = new HashMap<>(); // a sparse permutation of 0..size-1
            for (int i = 0; i < n; i++) {
                int j = i + rng.nextInt(size - i);
                int vj = swapped.getOrDefault(j, j);
                swapped.put(j, swapped.getOrDefault(i, i));
                picks[i] = vj;
            }
        } else {
            for (int i = 0; i < n; i++) {
                picks[i] = rng.nextInt(size);
            }
        }
        return picks;
    }

    /**
     * Writes the {@code cropH x cropW} window at ({@code left}, {@code top}) of {@code mask}, mirrored left-right
     * when {@code flip}, into {@code out} at {@code offset}; outside the mask, 255.
     */
    static void cut(LabelMask mask, int left, int top, boolean flip, byte[] out, int offset, int cropH, int cropW) {
        byte[] labels = mask.labels();
        for (int y = 0; y < cropH; y++) {
            int sy = top + y;
            int row = offset + y * cropW;
            if (sy >= mask.height()) {
                Arrays.fill(out, row, row + cropW, (byte) LabelMask.IGNORE);
                continue;
            }
            for (int x = 0; x < cropW; x++) {
                int sx = left + (flip ? cropW - 1 - x : x);
                out[row + x] = sx < mask.width() ? labels[sy * mask.width() + sx] : (byte) LabelMask.IGNORE;
            }
        }
    }

    private LabelMask mask(int index) {
        LabelMask cached = cache.get(index);
        if (cached != null) {
            return cached;
        }
        Sample s = labeled.load(index);
        if (s.mask() == null) {
            throw new SslsegException("loss term seg-gan: labelled sample " + s.id() + " has no mask");
        }
        LabelMask m = s.mask();
        if (cachedBytes + m.labels().length <= CACHE_BYTES) {
            cache.put(index, m);
            cachedBytes += m.labels().length;
        }
        return m;
    }
}
