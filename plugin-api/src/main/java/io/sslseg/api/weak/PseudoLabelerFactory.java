package io.sslseg.api.weak;

import io.sslseg.api.ComponentFactory;
import java.util.function.Function;

/** Registered under {@link io.sslseg.api.Components#PSEUDO_LABELER}. */
public interface PseudoLabelerFactory<P extends Record> extends ComponentFactory<P, Integer, PseudoLabeler> {

    /** A factory from its parts; the context is the class count (background included). */
    static <P extends Record> PseudoLabelerFactory<P> of(Class<P> paramsType, P defaults, String summary,
            Function<P, PseudoLabeler> create) {
        record Impl<P extends Record>(Class<P> paramsType, P defaults, String summary, Function<P, PseudoLabeler> factory)
                implements PseudoLabelerFactory<P> {
            @Override
            public PseudoLabeler create(P params, Integer numClasses) {
                return factory.apply(params);
            }
        }
        return new Impl<>(paramsType, defaults, summary, create);
    }
}
