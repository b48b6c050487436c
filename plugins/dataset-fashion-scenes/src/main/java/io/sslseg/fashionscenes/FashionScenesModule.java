package io.sslseg.fashionscenes;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/** Registers the {@code fashion-scenes} dataset. */
@Extension
public final class FashionScenesModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.DATASET, "fashion-scenes").toInstance(FashionScenes.factory());
    }
}
