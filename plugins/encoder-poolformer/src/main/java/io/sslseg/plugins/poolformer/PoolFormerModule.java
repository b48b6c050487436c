package io.sslseg.plugins.poolformer;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/** Registers {@code poolformer-s12/s24/s36/m36/m48} and {@code poolformer-xxs64}. */
@Extension
public final class PoolFormerModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        for (PoolFormer.Size size : PoolFormer.Size.values()) {
            Components.register(binder(), Components.ENCODER, size.id).toInstance(PoolFormer.factory(size));
        }
    }
}
