package io.sslseg.api.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * One drawn mixing of a batch: sample {@code i} takes the pixels of sample {@code partner[i]} where
 * {@code region[i]} is 1 and keeps its own elsewhere.
 *
 * @param partner per sample, the sample whose pixels it receives (itself: unchanged)
 * @param region per sample, {@code height x width} values, 1 where the partner's pixels go, else 0
 */
public record Mix(int n, int height, int width, int[] partner, byte[] region) {
    public Mix {
        if (partner.length != n || region.length != n * height * width) {
            throw new IllegalArgumentException("a mix of " + n + " samples of " + height + "x" + width + " needs "
                    + n + " partners and " + n * height * width + " region values");
        }
        for (int p : partner) {
            if (p < 0 || p >= n) {
                throw new IllegalArgumentException("partner " + p + " is not a sample of a batch of " + n);
            }
        }
        partner = partner.clone();
        region = region.clone();
    }

    /** No mixing at all. */
    public static Mix identity(int n, int height, int width) {
        int[] self = new int[n];
        Arrays.setAll(self, i -> i);
        return new Mix(n, height, width, self, new byte[n * height * width]);
    }

    @Override
    public int[] partner() {
        return partner.clone();
    }

    @Override
    public byte[] region() {
        return region.clone();
    }

    /** The share of sample {@code i}'s pixels that come from its partner. */
    public double mixedShare(int i) {
        int plane = height * width;
        int count = 0;
        for (int k = i * plane; k < (i + 1) * plane; k++) {
            count += region[k];
        }
        return (double) count / plane;
    }

    /**
     * Applies the mix to a batch-first array: images N x C x H x W, or per-pixel maps N x H x W (labels,
     * confidences), of any data type. The result is a new array; gradients flow to both sources where they exist.
     */
    public NDArray apply(NDArray x) {
        Shape s = x.getShape();
        boolean maps = s.dimension() == 3;
        if (s.get(0) != n || s.get(s.dimension() - 2) != height || s.get(s.dimension() - 1) != width
                || (s.dimension() != 3 && s.dimension() != 4)) {
            throw new IllegalArgumentException("cannot mix an array of shape " + s + " with a mix of " + n + " x "
                    + height + "x" + width);
        }
        NDManager m = x.getManager();
        long[] index = Arrays.stream(partner).asLongStream().toArray();
        // left open on x's manager (closed with it): a graph through the result keeps the index and the condition,
        // and arrays made from Java data must outlive it (see ScalarOps)
        NDArray idx = m.create(index).toDevice(x.getDevice(), false);
        NDArray cond = m.create(region, maps ? new Shape(n, height, width) : new Shape(n, 1, height, width))
                .toType(DataType.BOOLEAN, false).toDevice(x.getDevice(), false);
        // DJL's where does not broadcast: the region is expanded over the channels
        return NDArrays.where(maps ? cond : cond.broadcast(s), x.get(idx), x);
    }
}
