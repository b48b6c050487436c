package io.sslseg.testkit;

import ai.djl.ndarray.NDArray;
import io.sslseg.api.data.Split;
import io.sslseg.api.method.EmaTeacher;
import io.sslseg.api.method.LossTerm;
import io.sslseg.api.method.LossTermFactory;
import io.sslseg.api.method.StepContext;
import java.util.Set;

/**
 * A loss term with an EMA teacher (tests only), returning, on the labelled batch, per {@code output}: {@code distance},
 * the squared distance between the student's and the teacher's logits; {@code student}, the mean of the student's
 * logits; {@code student-without-gradient}, the same computed in {@link StepContext#withoutGradient};
 * {@code student-keeping-statistics}, through {@link StepContext#studentKeepingStatistics}; {@code teacher},
 * the mean of the teacher's. It logs the number of {@link #afterUpdate} calls, so tests see the hook run.
 */
public final class TeacherProbeTerm implements LossTerm {
    private final EmaTeacher teacher;
    private final String output;
    private long afterUpdateCalls;

    /** @param decay the teacher's; 0 asks for none */
    public record Params(double decay, String output) {}

    public static LossTermFactory<Params> factory() {
        return LossTermFactory.of(Params.class, new Params(0.9, "distance"), "student-teacher logit distance (tests only)",
                (p, ctx) -> new TeacherProbeTerm(p.decay() > 0 ? new EmaTeacher(p.decay()) : null, p.output()));
    }

    TeacherProbeTerm(EmaTeacher teacher, String output) {
        this.teacher = teacher;
        this.output = output;
    }

    @Override
    public Set<Split> splits() {
        return Set.of();
    }

    @Override
    public EmaTeacher teacher() {
        return teacher;
    }

    @Override
    public NDArray compute(StepContext ctx) {
        ctx.log("after_update_calls", afterUpdateCalls);
        if (teacher == null) {
            return null;
        }
        NDArray x = ctx.images(Split.LABELED);
        return switch (output) {
            case "student" -> ctx.student().logits(x).mean();
            case "student-without-gradient" -> ctx.withoutGradient(() -> ctx.student().logits(x)).mean();
            case "student-keeping-statistics" -> ctx.studentKeepingStatistics().logits(x).mean();
            case "teacher" -> ctx.teacher().logits(x).mean();
            default -> ctx.student().logits(x).sub(ctx.teacher().logits(x)).square().mean();
        };
    }

    @Override
    public void afterUpdate(StepContext ctx) {
        afterUpdateCalls++;
    }
}
