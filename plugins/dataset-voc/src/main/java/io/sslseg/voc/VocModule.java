package io.sslseg.voc;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/** Registers the {@code voc} dataset. */
@Extension
public final class VocModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.DATASET, "voc").toInstance(VocDataset.factory());
    }
}
