package io.sslseg.api.model;

import io.sslseg.api.ComponentFactory;
import io.sslseg.api.ComponentFactory.FromParts;
import io.sslseg.api.ComponentFactory.Parts;
import java.util.function.BiFunction;

/** Registered under {@link io.sslseg.api.Components#DECODER}. */
public interface DecoderFactory<P extends Record> extends ComponentFactory<P, DecoderContext, Decoder> {

    /**
     * A factory from its parts, so that a component registers with one expression instead of a factory class
     * of four boilerplate methods. Implementing the interface directly still works.
     */
    static <P extends Record> DecoderFactory<P> of(Class<P> paramsType, P defaults, String summary,
            BiFunction<P, DecoderContext, Decoder> create) {
        record Impl<P extends Record>(Parts<P, DecoderContext, Decoder> parts)
                implements DecoderFactory<P>, FromParts<P, DecoderContext, Decoder> {}
        return new Impl<>(new Parts<>(paramsType, defaults, summary, create));
    }
}
