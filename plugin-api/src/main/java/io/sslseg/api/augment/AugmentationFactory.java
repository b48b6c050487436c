package io.sslseg.api.augment;

import io.sslseg.api.ComponentFactory;
import io.sslseg.api.ComponentFactory.FromParts;
import io.sslseg.api.ComponentFactory.Parts;
import java.util.function.BiFunction;

/** Registered under {@link io.sslseg.api.Components#AUGMENTATION}. */
public interface AugmentationFactory<P extends Record>
        extends ComponentFactory<P, AugmentationContext, Augmentation> {

    /** A factory from its parts (see {@link ComponentFactory}). */
    static <P extends Record> AugmentationFactory<P> of(Class<P> paramsType, P defaults, String summary,
            BiFunction<P, AugmentationContext, Augmentation> create) {
        record Impl<P extends Record>(Parts<P, AugmentationContext, Augmentation> parts)
                implements AugmentationFactory<P>, FromParts<P, AugmentationContext, Augmentation> {}
        return new Impl<>(new Parts<>(paramsType, defaults, summary, create));
    }
}
