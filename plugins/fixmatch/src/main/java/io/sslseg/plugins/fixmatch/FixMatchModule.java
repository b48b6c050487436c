package io.sslseg.plugins.fixmatch;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/** Registers the loss term {@code fixmatch}. */
@Extension
public final class FixMatchModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.LOSS_TERM, "fixmatch").toInstance(FixMatchTerm.factory());
    }
}
