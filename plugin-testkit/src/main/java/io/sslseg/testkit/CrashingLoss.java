package io.sslseg.testkit;

import io.sslseg.api.SslsegException;
import io.sslseg.api.loss.SupervisedLossFactory;
import io.sslseg.platform.builtin.CrossEntropy;

/** Cross-entropy that fails at one iteration: a stand-in for a crash in the middle of a run. */
public final class CrashingLoss {
    private CrashingLoss() {}

    public record Params(long atIteration) {}

    public static SupervisedLossFactory<Params> factory() {
        return SupervisedLossFactory.of(Params.class, new Params(Long.MAX_VALUE),
                "CE that crashes at an iteration (tests only)", (p, ctx) -> {
                    CrossEntropy ce = new CrossEntropy(1.0);
                    return (logits, labels, clock) -> {
                        if (clock.iteration() == p.atIteration()) {
                            throw new SslsegException("simulated crash at iteration " + clock.iteration());
                        }
                        return ce.compute(logits, labels, clock);
                    };
                });
    }
}
