package io.sslseg.plugins.tempens;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/** Registers the loss term {@code temporal-ensembling}. */
@Extension
public final class TemporalEnsemblingModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.LOSS_TERM, "temporal-ensembling")
                .toInstance(TemporalEnsemblingTerm.factory());
    }
}
