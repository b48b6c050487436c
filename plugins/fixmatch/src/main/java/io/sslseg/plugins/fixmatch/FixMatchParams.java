package io.sslseg.plugins.fixmatch;

import io.sslseg.api.NestedComponent;
import io.sslseg.api.augment.AugmentationPipeline;
import io.sslseg.api.ssl.WeakToStrongTerm;
import java.util.List;
import java.util.Map;

/**
 * The {@code fixmatch} term.
 *
 * @param threshold the confidence a pseudo-label needs to be trained on (paper 0.95)
 * @param weight the unsupervised weight lambda_u once ramped up (paper 1)
 * @param ramp the ramp's shape (sigmoid, linear, cosine, log, exp)
 * @param rampUpStart fraction of training before which the term is off (a supervised warm-up; paper 0)
 * @param rampUpEnd fraction of training at which the weight reaches {@code weight} (paper 0: no ramp)
 * @param emaDecay 0: pseudo-labels from the student's own weak-view prediction (the paper); in (0, 1): from an EMA
 *     teacher with this decay, which {@code eval.model: teacher} can then evaluate
 * @param strong the strong view: augmentation blocks in order, pixel ones and at most one batch mix
 */
public record FixMatchParams(double threshold, double weight, String ramp, double rampUpStart, double rampUpEnd,
        double emaDecay, @NestedComponent(kind = "augmentation") List<Map<String, Object>> strong) {

    public FixMatchParams {
        WeakToStrongTerm.checkThreshold(threshold);
        new WeakToStrongTerm.Schedule(weight, ramp, rampUpStart, rampUpEnd); // checks the weight and the ramp
        WeakToStrongTerm.checkEmaDecay(emaDecay, false);
        strong = AugmentationPipeline.checkBlocks(strong);
    }

    WeakToStrongTerm.Schedule schedule() {
        return new WeakToStrongTerm.Schedule(weight, ramp, rampUpStart, rampUpEnd);
    }

    static FixMatchParams defaults() {
        return new FixMatchParams(0.95, 1.0, "linear", 0.0, 0.0, 0.0, AugmentationPipeline.strongDefaults());
    }
}
