package io.sslseg.plugins.cct;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/** Registers CCT's components: the main decoder {@code cct-main}. */
@Extension
public final class CctModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.DECODER, "cct-main").toInstance(new CctMainDecoderFactory());
    }
}
