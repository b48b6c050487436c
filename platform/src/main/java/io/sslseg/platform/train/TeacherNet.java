package io.sslseg.platform.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.sslseg.api.SslsegException;
import io.sslseg.api.method.EmaTeacher;
import java.util.ArrayList;
import java.util.List;

/**
 * The EMA teacher a loss term asked for: a second network of the same architecture whose every value (weights and
 * batch-norm running statistics) is an exponential moving average of the student's. It never gets gradients (its
 * parameters are frozen), starts as an exact copy of the student and moves after each optimizer step. Its values
 * are the whole of its state (the update count is the run's step), so a checkpoint that holds it resumes exactly.
 */
public final class TeacherNet {
    private final SegmentationNet net;
    private final EmaTeacher spec;
    private final List<Parameter> student = new ArrayList<>();
    private final List<Parameter> teacher = new ArrayList<>();

    /** @param copy a freshly built network of the student's architecture (its initial values are overwritten) */
    TeacherNet(SegmentationNet studentNet, SegmentationNet copy, EmaTeacher spec) {
        this.net = copy;
        this.spec = spec;
        PairList<String, Parameter> s = studentNet.getParameters();
        PairList<String, Parameter> t = copy.getParameters();
        if (s.size() != t.size()) {
            throw new SslsegException("the teacher's network has " + t.size() + " parameters, the student's " + s.size());
        }
        for (int i = 0; i < s.size(); i++) {
            Pair<String, Parameter> sp = s.get(i);
            Pair<String, Parameter> tp = t.get(i);
            if (!sp.getKey().equals(tp.getKey()) || !sp.getValue().getArray().getShape().equals(tp.getValue().getArray().getShape())) {
                throw new SslsegException("the teacher's parameter " + tp.getKey() + " does not match the student's " + sp.getKey());
            }
            student.add(sp.getValue());
            teacher.add(tp.getValue());
            if (tp.getValue().requiresGradient()) {
                tp.getValue().freeze(true);
            }
        }
        copyFromStudent();
    }

    public SegmentationNet net() {
        return net;
    }

    public EmaTeacher spec() {
        return spec;
    }

    /** Makes every teacher value equal to the student's (the start of training). */
    void copyFromStudent() {
        for (int i = 0; i < teacher.size(); i++) {
            teacher.get(i).getArray().set(student.get(i).getArray().toByteBuffer());
        }
    }

    /**
     * teacher = r * teacher + (1 - r) * student, in place, with the rate of update {@code t} (from 1). Runs after
     * the optimizer step, outside any graph.
     */
    void update(long t) {
        double r = spec.rateAt(t);
        for (int i = 0; i < teacher.size(); i++) {
            NDArray tv = teacher.get(i).getArray();
            try (NDArray sv = student.get(i).getArray().stopGradient(); NDArray blend = sv.sub(tv)) {
                // t + (1 - r)(s - t): the same average, with one temporary instead of two
                tv.addi(blend.muli(1 - r));
            }
        }
    }
}
