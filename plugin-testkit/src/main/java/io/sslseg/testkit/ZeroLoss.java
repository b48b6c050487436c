package io.sslseg.testkit;

import io.sslseg.api.loss.SupervisedLossFactory;
import io.sslseg.api.nn.ScalarOps;

/** A supervised loss of 0 (still in the graph): isolates a loss term's gradients in tests. */
public final class ZeroLoss {
    private ZeroLoss() {}

    public record Params() {}

    public static SupervisedLossFactory<Params> factory() {
        return SupervisedLossFactory.of(Params.class, new Params(), "zero (tests only)",
                (p, ctx) -> (logits, labels, clock) -> ScalarOps.mul(logits.sum(), 0));
    }
}
