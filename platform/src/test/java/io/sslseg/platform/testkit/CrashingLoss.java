package io.sslseg.platform.testkit;

import io.sslseg.api.SslsegException;
import io.sslseg.api.loss.LossContext;
import io.sslseg.api.loss.SupervisedLoss;
import io.sslseg.api.loss.SupervisedLossFactory;
import io.sslseg.platform.builtin.CrossEntropy;

/** Cross-entropy that fails at one iteration: a stand-in for a crash in the middle of a run. */
public final class CrashingLoss implements SupervisedLossFactory<CrashingLoss.Params> {
    public record Params(long atIteration) {}

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(Long.MAX_VALUE);
    }

    @Override
    public String summary() {
        return "CE that crashes at an iteration (tests only)";
    }

    @Override
    public SupervisedLoss create(Params p, LossContext ctx) {
        CrossEntropy ce = new CrossEntropy(1.0, ctx.numClasses());
        return (logits, labels, clock) -> {
            if (clock.iteration() == p.atIteration()) {
                throw new SslsegException("simulated crash at iteration " + clock.iteration());
            }
            return ce.compute(logits, labels, clock);
        };
    }
}
