package io.sslseg.api.ssl;

import io.sslseg.api.ComponentFactory;
import java.util.function.BiFunction;

/** Registered under {@link io.sslseg.api.Components#PERTURBATION}; the context is the class count. */
public interface PerturbationFactory<P extends Record> extends ComponentFactory<P, Integer, Perturbation> {

    /**
     * A factory from its parts, so that a component registers with one expression instead of a factory class
     * of four boilerplate methods. Implementing the interface directly still works.
     */
    static <P extends Record> PerturbationFactory<P> of(Class<P> paramsType, P defaults, String summary,
            BiFunction<P, Integer, Perturbation> create) {
        record Impl<P extends Record>(Class<P> paramsType, P defaults, String summary,
                BiFunction<P, Integer, Perturbation> factory) implements PerturbationFactory<P> {
            @Override
            public Perturbation create(P params, Integer context) {
                return factory.apply(params, context);
            }
        }
        return new Impl<>(paramsType, defaults, summary, create);
    }
}
