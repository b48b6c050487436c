package io.sslseg.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/** Pooling with PyTorch semantics that DJL 0.36 does not deliver. */
public final class Pooling {
    private Pooling() {}

    /**
     * PyTorch's {@code avg_pool2d(x, kernel, stride, padding, count_include_pad=False)} on N x C x H x W (floor
     * mode): a border window averages only the real pixels it covers. DJL's JNI ignores the flag and always
     * divides by kernel², so the pool runs with the padding counted, explicitly, and each
     * output is rescaled by kernel² / (real pixels in its window). That equals {@code avgpool(x) / avgpool(ones)}
     * with the same padding; the counts are computed here instead of pooling a ones-map on the engine.
     */
    public static NDArray avgPool2dExcludePad(NDArray x, int kernel, int stride, int padding) {
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("expected N x C x H x W, got " + s);
        }
        if (kernel < 1 || stride < 1 || padding < 0 || 2 * padding > kernel) {
            // PyTorch's own rule; it also guarantees every window holds a real pixel.
            throw new IllegalArgumentException("need kernel >= 1, stride >= 1 and 0 <= padding <= kernel / 2, got "
                    + kernel + ", " + stride + ", " + padding);
        }
        int h = (int) s.get(2), w = (int) s.get(3);
        int[] rows = windowCounts(h, kernel, stride, padding);
        int[] cols = windowCounts(w, kernel, stride, padding);
        float[] rescale = new float[rows.length * cols.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < cols.length; j++) {
                rescale[i * cols.length + j] = (float) kernel * kernel / (rows[i] * cols[j]);
            }
        }
        NDArray pooled = Pool.avgPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride),
                new Shape(padding, padding), false, true);
        NDArray factor = x.getManager().create(rescale, new Shape(1, 1, rows.length, cols.length));
        if (x.getDataType() != DataType.FLOAT32) {
            factor = factor.toType(x.getDataType(), false);
        }
        return pooled.mul(factor);
    }

    /** For each output position along one axis: how many real (unpadded) inputs its window covers. */
    static int[] windowCounts(int size, int kernel, int stride, int padding) {
        int out = (size + 2 * padding - kernel) / stride + 1;
        if (out < 1) {
            throw new IllegalArgumentException("input side " + size + " is smaller than the kernel " + kernel);
        }
        int[] counts = new int[out];
        for (int o = 0; o < out; o++) {
            int start = o * stride - padding;
            counts[o] = Math.min(start + kernel, size) - Math.max(start, 0);
        }
        return counts;
    }
}
