package io.sslseg.api.weak;

import io.sslseg.api.ComponentFactory;
import io.sslseg.api.ComponentFactory.FromParts;
import io.sslseg.api.ComponentFactory.Parts;
import java.util.function.Function;

/** Registered under {@link io.sslseg.api.Components#PSEUDO_LABELER}. */
public interface PseudoLabelerFactory<P extends Record> extends ComponentFactory<P, Integer, PseudoLabeler> {

    /** A factory from its parts; the context is the class count (background included). */
    static <P extends Record> PseudoLabelerFactory<P> of(Class<P> paramsType, P defaults, String summary,
            Function<P, PseudoLabeler> create) {
        record Impl<P extends Record>(Parts<P, Integer, PseudoLabeler> parts)
                implements PseudoLabelerFactory<P>, FromParts<P, Integer, PseudoLabeler> {}
        return new Impl<>(new Parts<>(paramsType, defaults, summary, (params, context) -> create.apply(params)));
    }
}
