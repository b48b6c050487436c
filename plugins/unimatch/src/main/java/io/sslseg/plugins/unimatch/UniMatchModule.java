package io.sslseg.plugins.unimatch;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/** Registers the loss term {@code unimatch}. */
@Extension
public final class UniMatchModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.LOSS_TERM, "unimatch").toInstance(UniMatchTerm.factory());
    }
}
