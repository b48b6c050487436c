package io.sslseg.api.augment;

import io.sslseg.api.ComponentFactory;
import java.util.function.BiFunction;

/** Registered under {@link io.sslseg.api.Components#AUGMENTATION}. */
public interface AugmentationFactory<P extends Record>
        extends ComponentFactory<P, AugmentationContext, Augmentation> {

    /** A factory from its parts (see {@link ComponentFactory}). */
    static <P extends Record> AugmentationFactory<P> of(Class<P> paramsType, P defaults, String summary,
            BiFunction<P, AugmentationContext, Augmentation> create) {
        record Impl<P extends Record>(Class<P> paramsType, P defaults, String summary,
                BiFunction<P, AugmentationContext, Augmentation> factory) implements AugmentationFactory<P> {
            @Override
            public Augmentation create(P params, AugmentationContext context) {
                return factory.apply(params, context);
            }
        }
        return new Impl<>(paramsType, defaults, summary, create);
    }
}
