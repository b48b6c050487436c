package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.ssl.PerturbationContext;

/**
 * The two pieces the prediction-guided perturbations share: the foreground of the main
 * decoder's prediction, and PyTorch's nearest-neighbour resize of an image-resolution mask to z's grid.
 */
final class GuidedMasks {
    private GuidedMasks() {}

    /**
     * 1 where the main prediction ({@link PerturbationContext#mainPrediction}, class ids) is not background
     * (class 0), N x H x W float32. It lives in the prediction's manager: close it when done.
     */
    static NDArray foreground(NDArray mainPrediction) {
        try (NDArray fg = mainPrediction.gt(0)) {
            return fg.toType(DataType.FLOAT32, false);
        }
    }

    /**
     * Resizes N x H x W masks to z's h x w by nearest neighbour as PyTorch's {@code interpolate(mode='nearest')}
     * does (output index i reads input floor(i·in/out)), giving N x 1 x h x w in z's manager, ready to multiply
     * z. Done as two 0/1 selection matrices, {@code R · mask · Cᵀ}, which is exact and stays on the device.
     */
    static NDArray toFeatureGrid(NDArray masks, NDArray z) {
        Shape in = masks.getShape();
        Shape out = z.getShape();
        if (in.dimension() != 3 || out.dimension() != 4 || in.get(0) != out.get(0)) {
            throw new IllegalArgumentException("need N x H x W masks and N x D x h x w features, got " + in + " and " + out);
        }
        NDManager m = z.getManager();
        NDArray rows = selection(m, (int) in.get(1), (int) out.get(2));
        NDArray colsT = selection(m, (int) in.get(2), (int) out.get(3)).transpose();
        // the selection matrix goes first so that the result lives in z's manager, not the mask's
        return rows.matMul(masks).matMul(colsT).expandDims(1);
    }

    /** out x in, row i selecting input floor(i·in/out). */
    private static NDArray selection(NDManager m, int in, int out) {
        float[] s = new float[out * in];
        for (int i = 0; i < out; i++) {
            s[i * in + (int) ((long) i * in / out)] = 1f;
        }
        return m.create(s, new Shape(out, in));
    }
}
