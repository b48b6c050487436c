package io.sslseg.plugins.convnext;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/**
 * Registers {@code convnext-atto/femto/pico/nano/tiny/small/base} and the 64x64 sizes {@code convnext-zepto64} and
 * {@code convnext-atto64}.
 */
@Extension
public final class ConvNeXtModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        for (ConvNeXt.Size size : ConvNeXt.Size.values()) {
            Components.register(binder(), Components.ENCODER, size.id).toInstance(ConvNeXt.factory(size));
        }
    }
}
