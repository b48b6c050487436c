package io.sslseg.api.loss;

import io.sslseg.api.ComponentFactory;
import io.sslseg.api.ComponentFactory.FromParts;
import io.sslseg.api.ComponentFactory.Parts;
import java.util.function.BiFunction;

/** Registered under {@link io.sslseg.api.Components#SUPERVISED_LOSS}. */
public interface SupervisedLossFactory<P extends Record> extends ComponentFactory<P, LossContext, SupervisedLoss> {

    /**
     * A factory from its parts, so that a component registers with one expression instead of a factory class
     * of four boilerplate methods. Implementing the interface directly still works.
     */
    static <P extends Record> SupervisedLossFactory<P> of(Class<P> paramsType, P defaults, String summary,
            BiFunction<P, LossContext, SupervisedLoss> create) {
        record Impl<P extends Record>(Parts<P, LossContext, SupervisedLoss> parts)
                implements SupervisedLossFactory<P>, FromParts<P, LossContext, SupervisedLoss> {}
        return new Impl<>(new Parts<>(paramsType, defaults, summary, create));
    }
}
