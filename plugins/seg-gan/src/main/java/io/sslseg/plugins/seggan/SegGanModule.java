package io.sslseg.plugins.seggan;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/** Registers the AdvSemiSeg loss term {@code seg-gan}. */
@Extension
public final class SegGanModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.LOSS_TERM, "seg-gan").toInstance(SegGanTerm.factory());
    }
}
