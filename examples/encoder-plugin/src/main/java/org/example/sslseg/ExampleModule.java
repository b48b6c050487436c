package org.example.sslseg;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/** The plugin's one entry point: PF4J finds it through @Extension; Guice runs configure(). */
@Extension
public final class ExampleModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.ENCODER, "two-stage-cnn").toInstance(TwoStageCnn.factory());
    }
}
