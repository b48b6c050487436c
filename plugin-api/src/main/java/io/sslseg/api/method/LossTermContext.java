package io.sslseg.api.method;

import io.sslseg.api.ComponentFactory;
import io.sslseg.api.Kind;
import io.sslseg.api.model.Decoder;
import io.sslseg.api.model.FeatureInfo;

/**
 * What a loss term is built with: the model it attaches to, the class count, and a way to build the
 * components it names in its own parameters (perturbations, consistency losses).
 *
 * @param totalIterations the run's length, for ramp-ups
 */
public record LossTermContext(FeatureInfo features, Decoder mainDecoder, int numClasses, long totalIterations,
        Resolver resolver) {

    /** Builds a named component from a config block ({@code type:} plus parameters). */
    public interface Resolver {
        <C, T> T build(Kind<? extends ComponentFactory<?, C, T>> kind, Object block, String keyPath, C context);
    }
}
