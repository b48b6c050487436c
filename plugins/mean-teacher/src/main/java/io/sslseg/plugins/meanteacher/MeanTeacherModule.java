package io.sslseg.plugins.meanteacher;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/** Registers the loss term {@code mean-teacher}. */
@Extension
public final class MeanTeacherModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.LOSS_TERM, "mean-teacher").toInstance(MeanTeacherTerm.factory());
    }
}
