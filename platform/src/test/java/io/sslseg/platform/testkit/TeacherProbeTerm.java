package io.sslseg.platform.testkit;

import ai.djl.ndarray.NDArray;
import io.sslseg.api.data.Split;
import io.sslseg.api.method.EmaTeacher;
import io.sslseg.api.method.LossTerm;
import io.sslseg.api.method.LossTermFactory;
import io.sslseg.api.method.StepContext;
import java.util.Set;

/**
 * A loss term with an EMA teacher (tests only): the squared distance between the student's and the teacher's logits on
 * the labelled batch, and the number of {@link #afterUpdate} calls logged, so tests see the hook and the teacher run.
 */
public final class TeacherProbeTerm implements LossTerm {
    private final EmaTeacher teacher;
    private long afterUpdateCalls;

    /** @param decay the teacher's; 0 asks for none */
    public record Params(double decay) {}

    public static LossTermFactory<Params> factory() {
        return LossTermFactory.of(Params.class, new Params(0.9), "student-teacher logit distance (tests only)",
                (p, ctx) -> new TeacherProbeTerm(p.decay() > 0 ? new EmaTeacher(p.decay()) : null));
    }

    TeacherProbeTerm(EmaTeacher teacher) {
        this.teacher = teacher;
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
        return ctx.student().logits(x).sub(ctx.teacher().logits(x)).square().mean();
    }

    @Override
    public void afterUpdate(StepContext ctx) {
        afterUpdateCalls++;
    }
}
