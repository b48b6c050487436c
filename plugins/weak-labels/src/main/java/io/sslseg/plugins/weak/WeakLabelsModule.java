package io.sslseg.plugins.weak;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/** Registers the pseudo-labeller {@code cam}: image-level tags to pixel pseudo-labels. */
@Extension
public final class WeakLabelsModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.PSEUDO_LABELER, "cam").toInstance(CamLabeler.factory());
    }
}
