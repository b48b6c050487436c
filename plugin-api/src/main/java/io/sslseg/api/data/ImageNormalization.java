package io.sslseg.api.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * How pixel values in [0, 1] become the network's input: per channel {@code (pixel - mean) / std}. Training and
 * evaluation batches reach the network normalised; photometric augmentations (colour jitter, blur) work on
 * pixels, so a method that makes views of its own goes {@link #toPixels} -> augment -> {@link #normalise}.
 */
public record ImageNormalization(float[] mean, float[] std) {
    /** The ImageNet statistics every sslseg pipeline uses. */
    public static final ImageNormalization IMAGENET =
            new ImageNormalization(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    public ImageNormalization {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need one value per RGB channel");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be > 0, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** The normalised value of {@code channel}'s value {@code value} in [0, 255]. */
    public float normalise255(float value, int channel) {
        return (value / 255f - mean[channel]) / std[channel];
    }

    /** Normalised N x 3 x H x W images back to pixels in [0, 1] (a new array, in the images' graph). */
    public NDArray toPixels(NDArray images) {
        NDManager m = images.getManager();
        try (NDArray s = column(m, std, images); NDArray mu = column(m, mean, images)) {
            return images.mul(s).add(mu);
        }
    }

    /** Pixels in [0, 1], N x 3 x H x W, to the network's input. */
    public NDArray normalise(NDArray pixels) {
        NDManager m = pixels.getManager();
        try (NDArray s = column(m, std, pixels); NDArray mu = column(m, mean, pixels)) {
            return pixels.sub(mu).div(s);
        }
    }

    /** Normalises pixels in [0, 1], CHW planes of {@code planeSize} values each, in place. */
    public void normaliseInPlace(float[] chw, int offset, int planeSize) {
        for (int c = 0; c < 3; c++) {
            int o = offset + c * planeSize;
            for (int i = 0; i < planeSize; i++) {
                chw[o + i] = (chw[o + i] - mean[c]) / std[c];
            }
        }
    }

    /** A 1 x 3 x 1 x 1 array in memory libtorch owns (a graph may keep it; see ScalarOps on Java buffers). */
    private static NDArray column(NDManager m, float[] values, NDArray like) {
        try (NDArray raw = m.create(values, new Shape(1, 3, 1, 1))) {
            return raw.duplicate().toDevice(like.getDevice(), false);
        }
    }
}
