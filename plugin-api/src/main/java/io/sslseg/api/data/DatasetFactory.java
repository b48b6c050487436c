package io.sslseg.api.data;

import io.sslseg.api.ComponentFactory;
import io.sslseg.api.ComponentFactory.FromParts;
import io.sslseg.api.ComponentFactory.Parts;
import java.util.function.BiFunction;

/** Registered under {@link io.sslseg.api.Components#DATASET}. */
public interface DatasetFactory<P extends Record> extends ComponentFactory<P, DatasetContext, SegDataset> {

    /**
     * A factory from its parts, so that a component registers with one expression instead of a factory class
     * of four boilerplate methods. Implementing the interface directly still works.
     */
    static <P extends Record> DatasetFactory<P> of(Class<P> paramsType, P defaults, String summary,
            BiFunction<P, DatasetContext, SegDataset> create) {
        record Impl<P extends Record>(Parts<P, DatasetContext, SegDataset> parts)
                implements DatasetFactory<P>, FromParts<P, DatasetContext, SegDataset> {}
        return new Impl<>(new Parts<>(paramsType, defaults, summary, create));
    }
}
