package io.sslseg.plugins.slurm;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/** Registers the launcher {@code slurm}. */
@Extension
public final class SlurmModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.LAUNCHER, "slurm").toInstance(SlurmLauncher.factory());
    }
}
