package io.sslseg.plugins.unet;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/** Registers the encoder and the decoder {@code unet}. */
@Extension
public final class UNetModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.ENCODER, "unet").toInstance(UNetEncoder.factory());
        Components.register(binder(), Components.DECODER, "unet").toInstance(UNetDecoder.factory());
    }
}
