package io.sslseg.api.ssl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.augment.Mix;
import io.sslseg.api.loss.PixelLabels;
import io.sslseg.api.method.StepContext;

/**
 * Hard pseudo-labels with their confidences, taken from a prediction outside the graph (a weak view's, a teacher's):
 * the class of highest probability per pixel and that probability. FixMatch and UniMatch train the strong view on
 * the pixels whose confidence reaches a threshold; their loss is {@link #thresholdedCrossEntropy}.
 *
 * @param labels class ids N x H x W (int64)
 * @param confidence the winning class's probability N x H x W (float32)
 */
public record PseudoLabels(NDArray labels, NDArray confidence) {

    /**
     * The pseudo-labels of normalised {@code images} (a weak view): from the EMA teacher when {@code fromTeacher},
     * else from the student in training mode, without gradient either way.
     */
    public static PseudoLabels predict(StepContext ctx, NDArray images, boolean fromTeacher) {
        NDArray logits = fromTeacher ? ctx.teacher().logits(images)
                : ctx.withoutGradient(() -> ctx.student().logits(images));
        return fromLogits(logits);
    }

    /** The arg-max and max of softmax({@code logits}) over classes, detached from any graph. */
    public static PseudoLabels fromLogits(NDArray logits) {
        NDArray probs = logits.stopGradient().softmax(1);
        return new PseudoLabels(probs.argMax(1).toType(DataType.INT64, false), probs.max(new int[] {1}));
    }

    /** The same labels and confidences mixed as the strong view's pixels were. */
    public PseudoLabels mixed(Mix mix) {
        return new PseudoLabels(mix.apply(labels), mix.apply(confidence));
    }

    /** 1 where the confidence reaches {@code threshold}, else 0 (float32, N x H x W). */
    public NDArray mask(double threshold) {
        return confidence.gte((float) threshold).toType(DataType.FLOAT32, false);
    }

    /**
     * 1 where the confidence reaches the threshold of the pixel's own pseudo-class (class-wise thresholds, e.g.
     * FlexMatch's), else 0.
     *
     * @param thresholds one per class
     */
    public NDArray mask(float[] thresholds) {
        NDArray table = labels.getManager().create(thresholds, new Shape(thresholds.length)).duplicate()
                .toDevice(labels.getDevice(), false);
        NDArray perPixel = table.get(labels.flatten()).reshape(labels.getShape());
        return confidence.gte(perPixel).toType(DataType.FLOAT32, false);
    }

    /**
     * FixMatch's unsupervised loss: the cross-entropy of {@code logits} (N x C x H x W, the strong view, in the graph)
     * against the pseudo-labels, summed over the pixels that {@code mask} keeps and divided by all pixels (as UniMatch
     * does, so a step with few confident pixels weighs little).
     */
    public NDArray thresholdedCrossEntropy(NDArray logits, NDArray mask) {
        NDArray nll = PixelLabels.crossEntropyPerPixel(logits, labels);
        return nll.mul(mask).sum().div(mask.getManager().full(new Shape(), (float) mask.size(), DataType.FLOAT32,
                mask.getDevice()));
    }

    /** The share of pixels {@code mask} keeps, for the metrics log. */
    public static double share(NDArray mask) {
        return mask.mean().getFloat();
    }
}
