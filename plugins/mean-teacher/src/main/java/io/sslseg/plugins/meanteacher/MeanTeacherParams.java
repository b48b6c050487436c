package io.sslseg.plugins.meanteacher;

import io.sslseg.api.NestedComponent;
import io.sslseg.api.augment.AugmentationPipeline;
import io.sslseg.api.ssl.WeakToStrongTerm;
import java.util.List;
import java.util.Map;

/**
 * The {@code mean-teacher} term.
 *
 * @param weight the consistency weight once ramped up
 * @param ramp the ramp's shape (the paper: sigmoid)
 * @param rampUpStart fraction of training before which the term is off
 * @param rampUpEnd fraction of training at which the weight reaches {@code weight}
 * @param emaDecay the teacher's EMA decay, in (0, 1) (paper 0.99 early, 0.999 late)
 * @param strong the student's view: augmentation blocks (the teacher's probabilities are mixed as its pixels)
 */
public record MeanTeacherParams(double weight, String ramp, double rampUpStart, double rampUpEnd, double emaDecay,
        @NestedComponent(kind = "augmentation") List<Map<String, Object>> strong) {

    public MeanTeacherParams {
        new WeakToStrongTerm.Schedule(weight, ramp, rampUpStart, rampUpEnd); // checks the weight and the ramp
        WeakToStrongTerm.checkEmaDecay(emaDecay, true);
        strong = AugmentationPipeline.checkBlocks(strong);
    }

    WeakToStrongTerm.Schedule schedule() {
        return new WeakToStrongTerm.Schedule(weight, ramp, rampUpStart, rampUpEnd);
    }

    static MeanTeacherParams defaults() {
        return new MeanTeacherParams(1.0, "sigmoid", 0.0, 0.2, 0.99, AugmentationPipeline.strongDefaults());
    }
}
