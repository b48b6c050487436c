package io.sslseg.api.method;

import io.sslseg.api.ComponentResolver;
import io.sslseg.api.model.Decoder;
import io.sslseg.api.model.FeatureInfo;
import java.util.List;

/**
 * What a loss term is built with: the model it attaches to, the class count, a way to build the components
 * it names in its own parameters (perturbations, consistency losses), and the terms built before it.
 *
 * @param totalIterations the run's length, for ramp-ups
 * @param earlierTerms the terms listed before this one in {@code loss.terms}, in order; a term that builds
 *     on another (the weak-label loss on CCT's auxiliary decoders) finds it here, so the config's order is
 *     the dependency order and a missing dependency is an error at build time, not at step 1
 */
public record LossTermContext(FeatureInfo features, Decoder mainDecoder, int numClasses, long totalIterations,
        ComponentResolver resolver, List<LossTerm> earlierTerms) {
    public LossTermContext {
        earlierTerms = List.copyOf(earlierTerms);
    }
}
