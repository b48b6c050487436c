package io.sslseg.plugins.resnet;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/** Registers {@code resnet18}, {@code resnet34} and {@code resnet50}. */
@Extension
public final class ResNetModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        for (ResNet.Depth depth : ResNet.Depth.values()) {
            Components.register(binder(), Components.ENCODER, "resnet" + depth.name().substring(1))
                    .toInstance(ResNet.factory(depth));
        }
    }
}
