package io.sslseg.api.ssl;

import ai.djl.ndarray.NDArray;
import io.sslseg.api.augment.AugmentationContext;
import io.sslseg.api.augment.AugmentationPipeline;
import io.sslseg.api.data.Split;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.api.method.EmaTeacher;
import io.sslseg.api.method.LossTerm;
import io.sslseg.api.method.LossTermContext;
import io.sslseg.api.method.StepContext;
import io.sslseg.api.nn.ScalarOps;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the weak-to-strong methods (FixMatch, UniMatch, Mean Teacher) share: they draw the unlabelled split, build a
 * strong view from augmentation blocks in their parameters, may keep an EMA teacher, and weight their unsupervised
 * loss with a ramp. A subclass computes the unweighted loss; this class logs the weight as {@code w_u}, skips the
 * work entirely while the weight is 0 (a supervised warm-up), and scales the loss.
 */
public abstract class WeakToStrongTerm implements LossTerm {
    private final AugmentationPipeline strong;
    private final Schedule schedule;
    private final EmaTeacher teacher;

    /**
     * The unsupervised weight over training.
     *
     * @param weight the weight once ramped up
     * @param ramp the ramp's shape ({@link Ramps.Ramp})
     * @param rampUpStart fraction of training before which the term is off
     * @param rampUpEnd fraction of training at which the weight reaches {@code weight} (equal to the start: at once)
     */
    public record Schedule(double weight, String ramp, double rampUpStart, double rampUpEnd) {
        public Schedule {
            if (!(weight >= 0)) {
                throw new IllegalArgumentException("weight must be >= 0, got " + weight);
            }
            Ramps.checkWindow(ramp, rampUpStart, rampUpEnd);
        }

        public double at(TrainingClock clock) {
            return Ramps.weightAt(weight, ramp, rampUpStart, rampUpEnd, clock);
        }
    }

    /**
     * @param strongBlocks the strong view's augmentation blocks (built here; errors name {@code <term>.strong[i]})
     * @param emaDecay 0 for no teacher, else the EMA teacher's decay
     */
    protected WeakToStrongTerm(LossTermContext ctx, List<Map<String, Object>> strongBlocks, Schedule schedule,
            double emaDecay) {
        this.strong = AugmentationPipeline.build(ctx.resolver(), strongBlocks, ctx.keyPath() + ".strong",
                AugmentationContext.of(ctx.numClasses()));
        this.schedule = schedule;
        this.teacher = emaDecay > 0 ? new EmaTeacher(emaDecay) : null;
    }

    /** Checks a confidence threshold parameter. */
    public static void checkThreshold(double threshold) {
        if (!(threshold >= 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1), got " + threshold);
        }
    }

    /** Checks an {@code emaDecay} parameter: 0 (no teacher, unless one is required) or in (0, 1). */
    public static void checkEmaDecay(double emaDecay, boolean required) {
        if (required ? !(emaDecay > 0 && emaDecay < 1) : !(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("emaDecay must be " + (required ? "" : "0 (no teacher) or ") + "in (0, 1), got "
                    + emaDecay);
        }
    }

    @Override
    public Set<Split> splits() {
        return Set.of(Split.UNLABELED);
    }

    @Override
    public EmaTeacher teacher() {
        return teacher;
    }

    protected boolean hasTeacher() {
        return teacher != null;
    }

    protected AugmentationPipeline strong() {
        return strong;
    }

    @Override
    public final NDArray compute(StepContext ctx) {
        double w = schedule.at(ctx.clock());
        ctx.log("w_u", w);
        if (w == 0) {
            return null; // a warm-up step: no forward pass spent on the unlabelled batch
        }
        return ScalarOps.mul(unsupervised(ctx), w);
    }

    /** The unweighted unsupervised loss of this step (a float32 scalar in the step's graph). */
    protected abstract NDArray unsupervised(StepContext ctx);
}
