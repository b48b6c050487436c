package io.sslseg.plugins.unimatch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.augment.AugmentationPipeline;
import io.sslseg.api.data.Split;
import io.sslseg.api.data.SplitMix64;
import io.sslseg.api.method.LossTermContext;
import io.sslseg.api.method.LossTermFactory;
import io.sslseg.api.method.StepContext;
import io.sslseg.api.nn.ScalarOps;
import io.sslseg.api.ssl.PseudoLabels;
import io.sslseg.api.ssl.WeakToStrongTerm;

/**
 * UniMatch (Yang et al., CVPR 2023): FixMatch widened in two directions. Image level: two strong views of each
 * unlabelled image (independent photometric draws and CutMix boxes), each trained on the weak view's confident
 * pseudo-labels. Feature level: the encoder's stages of the weak view, with whole channels dropped (Dropout2d, per
 * image and channel, survivors scaled by 1 / (1 - p)), decoded and trained on the same pseudo-labels; the gradient of
 * that branch reaches the encoder through the features. The pseudo-labels come from the weak view's prediction without
 * gradient: the student's (decoding the same encoder pass the feature branch perturbs, as the paper does) or an EMA
 * teacher's (UniMatch V2). The strong views' and the perturbed features' passes leave the batch-norm running
 * statistics alone ({@link StepContext#studentKeepingStatistics}), unlike the paper's code (docs/methods.md).
 *
 * <p>Logged: {@code loss_u_s} (the strong views' mean), {@code loss_u_fp}, {@code w_u}, {@code mask_ratio}.
 */
public final class UniMatchTerm extends WeakToStrongTerm {
    static final long STRONG_STREAM = 0x0419_0001L;
    static final long DROPOUT_STREAM = 0x0419_00F0L;

    private final UniMatchParams p;

    public static LossTermFactory<UniMatchParams> factory() {
        return LossTermFactory.of(UniMatchParams.class, UniMatchParams.defaults(),
                "UniMatch: two strong views and a feature-perturbed view trained on confident weak-view pseudo-labels",
                UniMatchTerm::new);
    }

    UniMatchTerm(UniMatchParams p, LossTermContext ctx) {
        super(ctx, p.strong(), p.schedule(), p.emaDecay());
        this.p = p;
    }

    @Override
    protected NDArray unsupervised(StepContext ctx) {
        NDArray weak = ctx.images(Split.UNLABELED);
        NDList stages = ctx.features(Split.UNLABELED); // the step's encoder pass over the weak view, in the graph
        PseudoLabels pseudo = hasTeacher() ? PseudoLabels.predict(ctx, weak, true)
                : PseudoLabels.fromLogits(ctx.withoutGradient(() -> ctx.student().decode(stages)));

        // feature level: the same stages with channels dropped, decoded in the graph
        NDArray fpLogits = ctx.studentKeepingStatistics().decode(channelDropout(stages, p.featureDropout(), ctx.seed(DROPOUT_STREAM)));
        NDArray fpMask = pseudo.mask(p.threshold());
        NDArray lossFp = pseudo.thresholdedCrossEntropy(fpLogits, fpMask);

        // image level: the strong views in one forward pass (batch-norm statistics over both, as the paper)
        AugmentationPipeline.View[] views = new AugmentationPipeline.View[p.views()];
        NDList inputs = new NDList();
        for (int v = 0; v < p.views(); v++) {
            views[v] = strong().view(ctx, Split.UNLABELED, STRONG_STREAM + v);
            inputs.add(views[v].images());
        }
        NDArray strongLogits = ctx.studentKeepingStatistics().logits(inputs.size() == 1 ? inputs.head() : NDArrays.concat(inputs));
        NDList perView = strongLogits.split(p.views());
        NDArray lossS = null;
        double maskShare = 0;
        for (int v = 0; v < p.views(); v++) {
            PseudoLabels target = pseudo.mixed(views[v].mix());
            NDArray mask = target.mask(p.threshold());
            NDArray l = target.thresholdedCrossEntropy(perView.get(v), mask);
            lossS = lossS == null ? l : lossS.add(l);
            maskShare += PseudoLabels.share(mask) / p.views();
        }
        lossS = ScalarOps.div(lossS, p.views());
        ctx.log("loss_u_s", lossS.getFloat());
        ctx.log("loss_u_fp", lossFp.getFloat());
        ctx.log("mask_ratio", maskShare);
        return ScalarOps.mul(lossS, p.strongWeight()).add(ScalarOps.mul(lossFp, p.featureWeight()));
    }

    /**
     * Dropout2d on every stage: per image and channel, zero with probability {@code rate}, else scale by
     * {@code 1 / (1 - rate)}; the draws come from {@code seed} (image, then channel, stage by stage).
     */
    static NDList channelDropout(NDList stages, double rate, long seed) {
        if (rate == 0) {
            return stages;
        }
        SplitMix64 rng = new SplitMix64(seed);
        NDList out = new NDList(stages.size());
        float keep = (float) (1 / (1 - rate));
        for (NDArray x : stages) {
            Shape s = x.getShape();
            int n = (int) s.get(0);
            int c = (int) s.get(1);
            float[] scale = new float[n * c];
            for (int i = 0; i < scale.length; i++) {
                scale[i] = rng.nextDouble() < rate ? 0f : keep;
            }
            NDManager m = x.getManager();
            // duplicated into memory libtorch owns: the graph keeps the mask for backward (see ScalarOps)
            NDArray mask = m.create(scale, new Shape(n, c, 1, 1)).duplicate().toDevice(x.getDevice(), false);
            out.add(x.mul(mask));
        }
        return out;
    }
}
