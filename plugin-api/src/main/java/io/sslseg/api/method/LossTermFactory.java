package io.sslseg.api.method;

import io.sslseg.api.ComponentFactory;
import io.sslseg.api.ComponentFactory.FromParts;
import io.sslseg.api.ComponentFactory.Parts;
import java.util.function.BiFunction;

/** Registered under {@link io.sslseg.api.Components#LOSS_TERM}. */
public interface LossTermFactory<P extends Record> extends ComponentFactory<P, LossTermContext, LossTerm> {

    /**
     * A factory from its parts, so that a component registers with one expression instead of a factory class
     * of four boilerplate methods. Implementing the interface directly still works.
     */
    static <P extends Record> LossTermFactory<P> of(Class<P> paramsType, P defaults, String summary,
            BiFunction<P, LossTermContext, LossTerm> create) {
        record Impl<P extends Record>(Parts<P, LossTermContext, LossTerm> parts)
                implements LossTermFactory<P>, FromParts<P, LossTermContext, LossTerm> {}
        return new Impl<>(new Parts<>(paramsType, defaults, summary, create));
    }
}
