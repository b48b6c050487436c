package io.sslseg.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Spatial ops on N x C x H x W arrays that DJL 0.36 lacks or gets subtly wrong, each with PyTorch's exact
 * semantics. All are differentiable, and every array they create lives in the input's manager (never in a
 * parameter's), so they are safe inside a per-step {@code NDManager}.
 */
public final class SpatialOps {
    private SpatialOps() {}

    /**
     * PyTorch's {@code PixelShuffle(r)}: N x (C r r) x H x W to N x C x rH x rW; input channel
     * {@code c*r*r + i*r + j} lands in output channel c at {@code (r*h + i, r*w + j)}.
     */
    public static NDArray pixelShuffle(NDArray x, int r) {
        Shape out = pixelShuffleShape(x.getShape(), r);
        Shape in = x.getShape();
        long n = in.get(0), c = out.get(1), h = in.get(2), w = in.get(3);
        return x.reshape(n, c, r, r, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(out);
    }

    /** The output shape of {@link #pixelShuffle}, for {@code getOutputShapes}. */
    public static Shape pixelShuffleShape(Shape in, int r) {
        if (in.dimension() != 4 || r < 1 || in.get(1) % ((long) r * r) != 0) {
            throw new IllegalArgumentException("pixel shuffle x" + r + " needs N x (C*" + r * r + ") x H x W, got " + in);
        }
        return new Shape(in.get(0), in.get(1) / ((long) r * r), in.get(2) * r, in.get(3) * r);
    }

    /**
     * PyTorch's {@code adaptive_avg_pool2d}: output cell (i, j) averages input rows
     * {@code floor(i*H/outH) .. ceil((i+1)*H/outH) - 1} (and likewise columns), so bins may overlap.
     */
    public static NDArray adaptiveAvgPool2d(NDArray x, int outH, int outW) {
        Shape s = spatial(x);
        return separable(x, adaptivePoolMatrix((int) s.get(0), outH), adaptivePoolMatrix((int) s.get(1), outW));
    }

    /**
     * Bilinear resize with {@code align_corners=false} (PyTorch's default), as two interpolation matrices:
     * {@code A_h · x · A_wᵀ}. DJL 0.36's engine interpolation is not used: it antialiases when shrinking
     * (different values from PyTorch's default), and when the width is 1 it repeats the first row instead of
     * interpolating (seen on 3x1 -> 5x1). The matrices cost N·C·(h·w·W + H·h·W) multiply-adds, small next to any decoder.
     */
    public static NDArray resizeBilinear(NDArray x, int outH, int outW) {
        Shape s = spatial(x);
        return separable(x, bilinearMatrix((int) s.get(0), outH), bilinearMatrix((int) s.get(1), outW));
    }

    /**
     * {@link #resizeBilinear} for an array kept channels-last ({@link #channelsLast}): the same values, computed as
     * two batched matrix products over the N·H x W x C and N x H x (W·C) views of its memory, so the result is
     * channels-last too and no layout copy is made on the way (one is made first if x is not channels-last).
     */
    public static NDArray resizeBilinearChannelsLast(NDArray x, int outH, int outW) {
        Shape s = x.getShape();
        Shape hw = spatial(x);
        long n = s.get(0), c = s.get(1), h = hw.get(0), w = hw.get(1);
        NDManager m = x.getManager();
        NDArray rows = m.create(bilinearMatrix((int) h, outH), new Shape(outH, h));
        NDArray cols = m.create(bilinearMatrix((int) w, outW), new Shape(outW, w));
        NDArray nhwc = x.transpose(0, 2, 3, 1).reshape(n * h, w, c);
        NDArray alongW = cols.matMul(nhwc).reshape(n, h, (long) outW * c);
        return rows.matMul(alongW).reshape(n, outH, outW, c).transpose(0, 3, 1, 2);
    }

    /**
     * The same N x C x H x W array with its memory in N x H x W x C order (PyTorch's {@code channels_last}), the
     * layout oneDNN's convolutions read and write without reordering. Convolutions, batch norm, ReLU, max-pooling
     * and concatenation keep it; values and gradients are unchanged. Free when x already is channels-last (DJL
     * cannot say which layout an array has, so this is also the way to make sure).
     */
    public static NDArray channelsLast(NDArray x) {
        Shape hw = spatial(x);
        long n = x.getShape().get(0), c = x.getShape().get(1);
        // transpose is a view; reshape copies only when that view is not contiguous, i.e. x was not channels-last
        return x.transpose(0, 2, 3, 1).reshape(-1).reshape(n, hw.get(0), hw.get(1), c).transpose(0, 3, 1, 2);
    }

    /** Row i averages the inputs of PyTorch's adaptive-pooling bin i; shape out x in, row-major. */
    public static float[] adaptivePoolMatrix(int in, int out) {
        checkSize(in, out);
        float[] m = new float[out * in];
        for (int i = 0; i < out; i++) {
            int start = Math.floorDiv(i * in, out);
            int end = -Math.floorDiv(-(i + 1) * in, out); // ceil
            for (int k = start; k < end; k++) {
                m[i * in + k] = 1f / (end - start);
            }
        }
        return m;
    }

    /** Row i holds PyTorch's bilinear (align_corners=false) weights for output i; shape out x in. */
    static float[] bilinearMatrix(int in, int out) {
        checkSize(in, out);
        float[] m = new float[out * in];
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double src = Math.max(0.0, (i + 0.5) * scale - 0.5); // PyTorch clamps before flooring
            int i0 = Math.min((int) src, in - 1);
            int i1 = Math.min(i0 + 1, in - 1);
            double frac = src - i0;
            m[i * in + i0] += (float) (1 - frac);
            m[i * in + i1] += (float) frac;
        }
        return m;
    }

    /** {@code rows · x · colsᵀ} over the last two axes: rows is outH x H, cols is outW x W. */
    private static NDArray separable(NDArray x, float[] rows, float[] cols) {
        Shape s = spatial(x);
        long h = s.get(0), w = s.get(1);
        NDManager m = x.getManager();
        NDArray colsT = m.create(cols, new Shape(cols.length / w, w)).transpose();
        NDArray rowMatrix = m.create(rows, new Shape(rows.length / h, h));
        // The constant goes first only because it lives in x's manager too; matmul broadcasts over N, C.
        return rowMatrix.matMul(x.matMul(colsT));
    }

    private static Shape spatial(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("expected N x C x H x W, got " + s);
        }
        return s.slice(2);
    }

    private static void checkSize(int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("sizes must be positive, got " + in + " -> " + out);
        }
    }
}
