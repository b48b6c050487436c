package io.sslseg.api.ssl;

import io.sslseg.api.ComponentFactory;
import io.sslseg.api.ComponentFactory.FromParts;
import io.sslseg.api.ComponentFactory.Parts;
import java.util.function.BiFunction;

/** Registered under {@link io.sslseg.api.Components#PERTURBATION}; the context is the class count. */
public interface PerturbationFactory<P extends Record> extends ComponentFactory<P, Integer, Perturbation> {

    /**
     * A factory from its parts, so that a component registers with one expression instead of a factory class
     * of four boilerplate methods. Implementing the interface directly still works.
     */
    static <P extends Record> PerturbationFactory<P> of(Class<P> paramsType, P defaults, String summary,
            BiFunction<P, Integer, Perturbation> create) {
        record Impl<P extends Record>(Parts<P, Integer, Perturbation> parts)
                implements PerturbationFactory<P>, FromParts<P, Integer, Perturbation> {}
        return new Impl<>(new Parts<>(paramsType, defaults, summary, create));
    }
}
