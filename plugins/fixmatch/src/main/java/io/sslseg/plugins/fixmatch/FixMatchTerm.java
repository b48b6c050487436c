package io.sslseg.plugins.fixmatch;

import ai.djl.ndarray.NDArray;
import io.sslseg.api.augment.AugmentationContext;
import io.sslseg.api.augment.AugmentationPipeline;
import io.sslseg.api.data.Split;
import io.sslseg.api.method.EmaTeacher;
import io.sslseg.api.method.LossTerm;
import io.sslseg.api.method.LossTermContext;
import io.sslseg.api.method.LossTermFactory;
import io.sslseg.api.method.StepContext;
import io.sslseg.api.nn.ScalarOps;
import io.sslseg.api.ssl.PseudoLabels;
import io.sslseg.api.ssl.Ramps;
import java.util.Set;

/**
 * FixMatch (Sohn et al., NeurIPS 2020) for segmentation, as UniMatch's code runs its FixMatch baseline: the unlabelled
 * batch's weak view (the data pipeline's crop, flip and channel order) is predicted without gradient, by the student
 * in training mode (the paper) or by an EMA teacher; each pixel's arg-max becomes its pseudo-label and its softmax
 * maximum its confidence. The strong view is the weak view's pixels through the configured photometric augmentations,
 * then CutMix between the images of the batch, the pseudo-labels and confidences mixed alike. The loss is the strong
 * view's cross-entropy against the pseudo-labels on the pixels whose confidence reaches {@code threshold}, summed and
 * divided by all pixels, weighted by the ramped {@code weight}.
 *
 * <p>Logged: {@code loss_u} (unweighted), {@code w_u}, {@code mask_ratio} (the share of pixels above the threshold).
 */
public final class FixMatchTerm implements LossTerm {
    /** The {@link StepContext#seed} stream of the strong view's draws. */
    static final long STRONG_STREAM = 0xF1C5_0001L;

    private final FixMatchParams p;
    private final AugmentationPipeline strong;

    public static LossTermFactory<FixMatchParams> factory() {
        return LossTermFactory.of(FixMatchParams.class, FixMatchParams.defaults(),
                "FixMatch: confident weak-view pseudo-labels train the strong (colour-jittered, CutMixed) view",
                FixMatchTerm::new);
    }

    FixMatchTerm(FixMatchParams p, LossTermContext ctx) {
        this.p = p;
        this.strong = AugmentationPipeline.build(ctx.resolver(), p.strong(), ctx.keyPath() + ".strong",
                AugmentationContext.of(ctx.numClasses()));
    }

    @Override
    public Set<Split> splits() {
        return Set.of(Split.UNLABELED);
    }

    @Override
    public EmaTeacher teacher() {
        return p.emaDecay() > 0 ? new EmaTeacher(p.emaDecay()) : null;
    }

    @Override
    public NDArray compute(StepContext ctx) {
        double w = Ramps.weightAt(p.weight(), p.ramp(), p.rampUpStart(), p.rampUpEnd(), ctx.clock());
        ctx.log("w_u", w);
        if (w == 0) {
            return null; // a supervised warm-up step: no forward passes spent on the unlabelled batch
        }
        PseudoLabels pseudo = PseudoLabels.predict(ctx, ctx.images(Split.UNLABELED), p.emaDecay() > 0);
        AugmentationPipeline.View view = strong.view(ctx, Split.UNLABELED, STRONG_STREAM);
        PseudoLabels targets = pseudo.mixed(view.mix());
        NDArray mask = targets.mask(p.threshold());
        NDArray loss = targets.thresholdedCrossEntropy(ctx.student().logits(view.images()), mask);
        ctx.log("loss_u", loss.getFloat());
        ctx.log("mask_ratio", PseudoLabels.share(mask));
        return ScalarOps.mul(loss, w);
    }
}
