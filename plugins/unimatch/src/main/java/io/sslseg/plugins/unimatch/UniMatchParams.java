package io.sslseg.plugins.unimatch;

import io.sslseg.api.NestedComponent;
import io.sslseg.api.augment.AugmentationPipeline;
import io.sslseg.api.ssl.WeakToStrongTerm;
import java.util.List;
import java.util.Map;

/**
 * The {@code unimatch} term. The paper's objective is {@code (L_x + 0.25 L_s1 + 0.25 L_s2 + 0.5 L_fp) / 2}; with the
 * supervised loss at weight 1 that is {@code weight} 1, {@code strongWeight} 0.5 (shared by the two views) and
 * {@code featureWeight} 0.5.
 *
 * @param threshold the confidence a pseudo-label needs (paper 0.95)
 * @param weight the whole unsupervised part's weight once ramped up
 * @param ramp the ramp-up shape of that weight (sigmoid, linear, cosine, log, exp)
 * @param rampUpStart fraction of training at which the ramp starts
 * @param rampUpEnd fraction of training at which the weight reaches {@code weight}
 * @param strongWeight the strong views' share (each view half of it)
 * @param featureWeight the feature-perturbation branch's share
 * @param featureDropout the channel-dropout probability on every encoder stage in that branch (paper 0.5)
 * @param views strong views per image: 2 (the paper's dual-stream) or 1 (FixMatch plus the feature branch, cheaper)
 * @param emaDecay 0: pseudo-labels from the student (UniMatch); in (0, 1): from an EMA teacher (UniMatch V2)
 * @param strong each strong view: augmentation blocks, pixel ones and at most one batch mix
 */
public record UniMatchParams(double threshold, double weight, String ramp, double rampUpStart, double rampUpEnd,
        double strongWeight, double featureWeight, double featureDropout, int views, double emaDecay,
        @NestedComponent(kind = "augmentation") List<Map<String, Object>> strong) {

    public UniMatchParams {
        WeakToStrongTerm.checkThreshold(threshold);
        new WeakToStrongTerm.Schedule(weight, ramp, rampUpStart, rampUpEnd); // checks the weight and the ramp
        if (!(strongWeight >= 0) || !(featureWeight >= 0)) {
            throw new IllegalArgumentException("strongWeight and featureWeight must be >= 0");
        }
        if (!(featureDropout >= 0 && featureDropout < 1)) {
            throw new IllegalArgumentException("featureDropout must be in [0, 1), got " + featureDropout);
        }
        if (views != 1 && views != 2) {
            throw new IllegalArgumentException("views must be 1 or 2, got " + views);
        }
        WeakToStrongTerm.checkEmaDecay(emaDecay, false);
        strong = AugmentationPipeline.checkBlocks(strong);
    }

    WeakToStrongTerm.Schedule schedule() {
        return new WeakToStrongTerm.Schedule(weight, ramp, rampUpStart, rampUpEnd);
    }

    static UniMatchParams defaults() {
        return new UniMatchParams(0.95, 1.0, "linear", 0.0, 0.0, 0.5, 0.5, 0.5, 2, 0.0,
                AugmentationPipeline.strongDefaults());
    }
}
