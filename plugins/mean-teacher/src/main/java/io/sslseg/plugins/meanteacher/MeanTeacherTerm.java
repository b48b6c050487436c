package io.sslseg.plugins.meanteacher;

import ai.djl.ndarray.NDArray;
import io.sslseg.api.augment.AugmentationPipeline;
import io.sslseg.api.data.Split;
import io.sslseg.api.method.LossTermContext;
import io.sslseg.api.method.LossTermFactory;
import io.sslseg.api.method.StepContext;
import io.sslseg.api.ssl.WeakToStrongTerm;

/**
 * Mean Teacher (Tarvainen and Valpola, NeurIPS 2017) for segmentation: the EMA teacher predicts the unlabelled
 * batch's weak view (inference mode, no gradient); the student predicts a strong view of it (the configured
 * augmentations, CutMix as in French et al.'s CutMix-Seg, the teacher's probabilities mixed alike); the loss is the
 * squared distance between their class probabilities, summed over classes and averaged over pixels, with a ramped
 * weight. No threshold: every pixel counts, softly. The strong view's pass leaves the batch-norm running statistics
 * alone ({@link StepContext#studentKeepingStatistics}; docs/methods.md).
 *
 * <p>Logged: {@code loss_u} (unweighted), {@code w_u}.
 */
public final class MeanTeacherTerm extends WeakToStrongTerm {
    static final long STRONG_STREAM = 0x3E7E_0001L;


    public static LossTermFactory<MeanTeacherParams> factory() {
        return LossTermFactory.of(MeanTeacherParams.class, MeanTeacherParams.defaults(),
                "Mean Teacher: an EMA teacher's probabilities on the weak view as soft targets for the strong view",
                MeanTeacherTerm::new);
    }

    MeanTeacherTerm(MeanTeacherParams p, LossTermContext ctx) {
        super(ctx, p.strong(), p.schedule(), p.emaDecay());
    }

    @Override
    protected NDArray unsupervised(StepContext ctx) {
        NDArray target = ctx.teacher().logits(ctx.images(Split.UNLABELED)).softmax(1);
        AugmentationPipeline.View view = strong().view(ctx, Split.UNLABELED, STRONG_STREAM);
        NDArray probs = ctx.studentKeepingStatistics().logits(view.images()).softmax(1);
        NDArray loss = consistency(probs, view.mix().apply(target));
        ctx.log("loss_u", loss.getFloat());
        return loss;
    }

    /** Squared difference of probabilities N x C x H x W, summed over classes, mean over pixels. */
    static NDArray consistency(NDArray student, NDArray target) {
        NDArray perPixel = student.sub(target.stopGradient()).square().sum(new int[] {1});
        return perPixel.mean();
    }
}
