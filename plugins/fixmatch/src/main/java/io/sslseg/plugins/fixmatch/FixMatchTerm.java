package io.sslseg.plugins.fixmatch;

import ai.djl.ndarray.NDArray;
import io.sslseg.api.augment.AugmentationPipeline;
import io.sslseg.api.data.Split;
import io.sslseg.api.method.LossTermContext;
import io.sslseg.api.method.LossTermFactory;
import io.sslseg.api.method.StepContext;
import io.sslseg.api.ssl.PseudoLabels;
import io.sslseg.api.ssl.WeakToStrongTerm;

/**
 * FixMatch (Sohn et al., NeurIPS 2020) for segmentation, as UniMatch's code runs its FixMatch baseline: the unlabelled
 * batch's weak view (the data pipeline's crop, flip and channel order) is predicted without gradient, by the student
 * in training mode (the paper) or by an EMA teacher; each pixel's arg-max becomes its pseudo-label and its softmax
 * maximum its confidence. The strong view is the weak view's pixels through the configured photometric augmentations,
 * then CutMix between the images of the batch, the pseudo-labels and confidences mixed alike. The loss is the strong
 * view's cross-entropy against the pseudo-labels on the pixels whose confidence reaches {@code threshold}, summed and
 * divided by all pixels, weighted by the ramped {@code weight}. The strong view's pass leaves the batch-norm running
 * statistics alone ({@link StepContext#studentKeepingStatistics}), unlike the paper's code: colour-jittered, blurred,
 * mixed images shifted them away from what evaluation sees (docs/methods.md).
 *
 * <p>Logged: {@code loss_u} (unweighted), {@code w_u}, {@code mask_ratio} (the share of pixels above the threshold).
 */
public final class FixMatchTerm extends WeakToStrongTerm {
    /** The {@link StepContext#seed} stream of the strong view's draws. */
    static final long STRONG_STREAM = 0xF1C5_0001L;

    private final double threshold;

    public static LossTermFactory<FixMatchParams> factory() {
        return LossTermFactory.of(FixMatchParams.class, FixMatchParams.defaults(),
                "FixMatch: confident weak-view pseudo-labels train the strong (colour-jittered, CutMixed) view",
                FixMatchTerm::new);
    }

    FixMatchTerm(FixMatchParams p, LossTermContext ctx) {
        super(ctx, p.strong(), p.schedule(), p.emaDecay());
        this.threshold = p.threshold();
    }

    @Override
    protected NDArray unsupervised(StepContext ctx) {
        PseudoLabels pseudo = PseudoLabels.predict(ctx, ctx.images(Split.UNLABELED), hasTeacher());
        AugmentationPipeline.View view = strong().view(ctx, Split.UNLABELED, STRONG_STREAM);
        PseudoLabels targets = pseudo.mixed(view.mix());
        NDArray mask = targets.mask(threshold);
        NDArray loss = targets.thresholdedCrossEntropy(ctx.studentKeepingStatistics().logits(view.images()), mask);
        ctx.log("loss_u", loss.getFloat());
        ctx.log("mask_ratio", PseudoLabels.share(mask));
        return loss;
    }
}
