package io.sslseg.api.model;

import io.sslseg.api.ComponentFactory;
import io.sslseg.api.ComponentFactory.FromParts;
import io.sslseg.api.ComponentFactory.Parts;
import java.util.function.BiFunction;

/** Registered under {@link io.sslseg.api.Components#ENCODER}. */
public interface EncoderFactory<P extends Record> extends ComponentFactory<P, EncoderContext, Encoder> {

    /**
     * A factory from its parts, so that a component registers with one expression instead of a factory class
     * of four boilerplate methods. Implementing the interface directly still works.
     */
    static <P extends Record> EncoderFactory<P> of(Class<P> paramsType, P defaults, String summary,
            BiFunction<P, EncoderContext, Encoder> create) {
        record Impl<P extends Record>(Parts<P, EncoderContext, Encoder> parts)
                implements EncoderFactory<P>, FromParts<P, EncoderContext, Encoder> {}
        return new Impl<>(new Parts<>(paramsType, defaults, summary, create));
    }
}
