package io.sslseg.api.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.nn.ScalarOps;

/** Label maps as loss targets: the one place that deals with the ignore label 255. */
public final class PixelLabels {
    private PixelLabels() {}

    /** 1 where a pixel is scored, 0 where it is labelled 255; float32, N x H x W. */
    public static NDArray valid(NDArray labels) {
        return labels.neq(LabelMask.IGNORE).toType(DataType.FLOAT32, false);
    }

    /**
     * One-hot targets N x C x H x W (float32) of class ids N x H x W; pixels labelled 255 are all zero.
     * DJL's oneHot rejects 255, so ignored pixels are mapped to class 0 first and zeroed afterwards.
     */
    public static NDArray oneHot(NDArray labels, int numClasses) {
        NDArray valid = valid(labels);
        NDArray safe = labels.mul(valid.toType(labels.getDataType(), false));
        return safe.oneHot(numClasses).mul(valid.expandDims(3)).transpose(0, 3, 1, 2);
    }

    /**
     * Mean cross-entropy of {@code logits} (N x C x H x W) against class ids (N x H x W) over the pixels not
     * labelled 255; 0 when there are none. DJL's softmax loss has no ignore index, hence this.
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return crossEntropyPerPixel(logits, labels).sum().div(ScalarOps.maximum(valid(labels).sum(), 1));
    }

    /** Per-pixel cross-entropy N x H x W of logits N x C x H x W against class ids; 0 where labelled 255. */
    public static NDArray crossEntropyPerPixel(NDArray logits, NDArray labels) {
        int classes = (int) logits.getShape().get(1);
        return logits.logSoftmax(1).mul(oneHot(labels, classes)).sum(new int[] {1}).neg();
    }
}
