package io.sslseg.plugins.augment;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import org.pf4j.Extension;

/** Registers the augmentations {@code color-jitter}, {@code grayscale}, {@code blur} and {@code cutmix}. */
@Extension
public final class AugmentationsModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.AUGMENTATION, "color-jitter").toInstance(ColorJitter.factory());
        Components.register(binder(), Components.AUGMENTATION, "grayscale").toInstance(Grayscale.factory());
        Components.register(binder(), Components.AUGMENTATION, "blur").toInstance(GaussianBlur.factory());
        Components.register(binder(), Components.AUGMENTATION, "cutmix").toInstance(CutMix.factory());
    }
}
