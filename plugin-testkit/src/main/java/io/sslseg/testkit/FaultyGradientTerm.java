package io.sslseg.testkit;

import ai.djl.ndarray.NDArray;
import io.sslseg.api.data.Split;
import io.sslseg.api.method.LossTerm;
import io.sslseg.api.method.LossTermFactory;
import io.sslseg.api.method.StepContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loss term worth 0 whose gradient is NaN at one iteration, for the first {@code times} runs of that
 * iteration in this JVM (counted per parameter set, across the term instances a replay builds): a stand-in for
 * a transient numerical fault ({@code times: 1}) or a reproducible one ({@code times} large).
 */
public final class FaultyGradientTerm implements LossTerm {
    private static final Map<Params, AtomicInteger> FAULTS_SO_FAR = new ConcurrentHashMap<>();

    /** @param tag tells apart tests that share the other two values */
    public record Params(long atIteration, int times, String tag) {}

    private final Params params;

    private FaultyGradientTerm(Params params) {
        this.params = params;
    }

    public static LossTermFactory<Params> factory() {
        return LossTermFactory.of(Params.class, new Params(Long.MAX_VALUE, 1, ""),
                "adds 0 with a NaN gradient at one iteration (tests only)", (p, ctx) -> new FaultyGradientTerm(p));
    }

    @Override
    public Set<Split> splits() {
        return Set.of();
    }

    @Override
    public NDArray compute(StepContext context) {
        if (context.clock().iteration() != params.atIteration()
                || FAULTS_SO_FAR.computeIfAbsent(params, k -> new AtomicInteger()).getAndIncrement() >= params.times()) {
            return null;
        }
        // sqrt(sum(x - x)) is 0, and its gradient is inf * (1 - 1) = NaN on every logit
        NDArray x = context.logits(Split.LABELED);
        return x.sub(x).sum().sqrt();
    }
}
