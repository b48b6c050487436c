package io.sslseg.testkit;

import ai.djl.ndarray.NDArray;
import io.sslseg.api.data.Split;
import io.sslseg.api.method.LossTerm;
import io.sslseg.api.method.LossTermFactory;
import io.sslseg.api.method.StepContext;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Set;

/**
 * A loss term that adds nothing and counts the steps whose {@link LossTerm#afterBackward} ran, keeping the
 * count as its checkpointed state: a resumed run logs the same counts as one that never stopped.
 */
public final class CountingTerm implements LossTerm {
    private long afterBackwardCalls;

    public record Params() {}

    public static LossTermFactory<Params> factory() {
        return LossTermFactory.of(Params.class, new Params(), "counts steps in its checkpointed state (tests only)",
                (p, ctx) -> new CountingTerm());
    }

    @Override
    public Set<Split> splits() {
        return Set.of();
    }

    @Override
    public NDArray compute(StepContext context) {
        context.log("after_backward_calls", afterBackwardCalls);
        return null;
    }

    @Override
    public void afterBackward(StepContext context) {
        afterBackwardCalls++;
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        out.writeLong(afterBackwardCalls);
    }

    @Override
    public void loadState(DataInputStream in, String source) throws IOException {
        afterBackwardCalls = in.readLong();
    }
}
