package io.sslseg.api.method;

import io.sslseg.api.ComponentResolver;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.Split;
import io.sslseg.api.model.Decoder;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.nn.Optimizers;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * What a loss term is built with: the model it attaches to, the class count, a way to build the components
 * it names in its own parameters (perturbations, consistency losses), and the terms built before it.
 *
 * @param totalIterations the run's length, for ramp-ups
 * @param earlierTerms the terms listed before this one in {@code loss.terms}, in order; a term that builds
 *     on another (the weak-label loss on CCT's auxiliary decoders) finds it here, so the config's order is
 *     the dependency order and a missing dependency is an error at build time, not at step 1
 * @param samples the dataset's splits: a per-image memory is indexed by a split's ids; a term that needs
 *     draws of its own (a discriminator's independently drawn ground-truth masks) loads them here
 * @param optimizers for blocks the term trains with an optimizer of its own
 * @param workDir a folder of the run reserved for this term's files (created by the term when it needs it),
 *     or null where there is no run folder (benchmarks, tests): a term that needs one says so
 */
public record LossTermContext(FeatureInfo features, Decoder mainDecoder, int numClasses, long totalIterations,
        ComponentResolver resolver, List<LossTerm> earlierTerms, Function<Split, SampleList> samples,
        Optimizers optimizers, Path workDir) {
    public LossTermContext {
        earlierTerms = List.copyOf(earlierTerms);
    }
}
