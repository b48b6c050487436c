package io.sslseg.plugins.seggan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.nn.ScalarOps;

/**
 * The pixel losses of AdvSemiSeg (its {@code utils/loss.py} and the self-training mask of {@code train.py}),
 * each a mean over the pixels it scores. All arrays land in the first operand's manager.
 */
public final class AdvLosses {
    private AdvLosses() {}

    /**
     * Binary cross-entropy on logits against a constant target, averaged over the pixels where {@code mask} is 1
     * (all pixels when it is null); 0 when no pixel counts, as the reference's loss returns. Numerically stable:
     * {@code max(x, 0) - x t + log(1 + exp(-|x|))}, so logits of any magnitude give finite values.
     *
     * @param logits N x 1 x H x W (or any shape)
     * @param target 1 ("ground truth") or 0 ("prediction")
     * @param mask 1 where scored, same shape as logits without its channel axis (N x H x W) or as logits; or null
     */
    public static NDArray bceWithLogits(NDArray logits, float target, NDArray mask) {
        NDArray loss = ScalarOps.maximum(logits, 0).sub(ScalarOps.mul(logits, target))
                .add(logits.abs().neg().exp().add(1f).log());
        if (mask == null) {
            return loss.mean();
        }
        NDArray m = mask.getShape().dimension() == loss.getShape().dimension() ? mask : mask.expandDims(1);
        m = m.toType(DataType.FLOAT32, false);
        return loss.mul(m).sum().div(ScalarOps.maximum(m.sum(), 1));
    }

    /** The confidence-masked pseudo-labels of one batch and the share of pixels they keep. */
    public record SelfTraining(NDArray labels, NDArray kept, double ratio) {}

    /**
     * The reference's self-training targets: {@code Yhat = argmax_c logits}, set to 255 where the discriminator's
     * confidence {@code sigmoid(dLogits)} is below {@code maskT}.
     *
     * @param logits N x C x H x W (only read: no gradient flows from the targets)
     * @param dLogits the discriminator's logits on softmax(logits), N x 1 x H x W
     */
    public static SelfTraining selfTrainingTargets(NDArray logits, NDArray dLogits, double maskT) {
        NDArray confidence = Activation.sigmoid(dLogits.stopGradient()).squeeze(1);
        NDArray kept = confidence.gte((float) maskT);
        NDArray yhat = logits.stopGradient().argMax(1).toType(DataType.INT64, false);
        NDArray keptLong = kept.toType(DataType.INT64, false);
        NDArray labels = yhat.mul(keptLong).add(ScalarOps.mul(keptLong.neg().add(1L), LabelMask.IGNORE));
        NDArray keptFloat = kept.toType(DataType.FLOAT32, false);
        double ratio = keptFloat.sum().getFloat() / (double) keptFloat.size();
        return new SelfTraining(labels, keptFloat, ratio);
    }
}
