package io.sslseg.api.ssl;

import io.sslseg.api.ComponentFactory;
import io.sslseg.api.ComponentFactory.FromParts;
import io.sslseg.api.ComponentFactory.Parts;
import java.util.function.BiFunction;

/** Registered under {@link io.sslseg.api.Components#CONSISTENCY_LOSS}; the context is the class count. */
public interface ConsistencyLossFactory<P extends Record> extends ComponentFactory<P, Integer, ConsistencyLoss> {

    /**
     * A factory from its parts, so that a component registers with one expression instead of a factory class
     * of four boilerplate methods. Implementing the interface directly still works.
     */
    static <P extends Record> ConsistencyLossFactory<P> of(Class<P> paramsType, P defaults, String summary,
            BiFunction<P, Integer, ConsistencyLoss> create) {
        record Impl<P extends Record>(Parts<P, Integer, ConsistencyLoss> parts)
                implements ConsistencyLossFactory<P>, FromParts<P, Integer, ConsistencyLoss> {}
        return new Impl<>(new Parts<>(paramsType, defaults, summary, create));
    }
}
