package io.sslseg.api.model;

import io.sslseg.api.ComponentFactory;
import java.util.function.BiFunction;

/** Registered under {@link io.sslseg.api.Components#DECODER}. */
public interface DecoderFactory<P extends Record> extends ComponentFactory<P, DecoderContext, Decoder> {

    /**
     * A factory from its parts, so that a component registers with one expression instead of a factory class
     * of four boilerplate methods. Implementing the interface directly still works.
     */
    static <P extends Record> DecoderFactory<P> of(Class<P> paramsType, P defaults, String summary,
            BiFunction<P, DecoderContext, Decoder> create) {
        record Impl<P extends Record>(Class<P> paramsType, P defaults, String summary,
                BiFunction<P, DecoderContext, Decoder> factory) implements DecoderFactory<P> {
            @Override
            public Decoder create(P params, DecoderContext context) {
                return factory.apply(params, context);
            }
        }
        return new Impl<>(paramsType, defaults, summary, create);
    }
}
