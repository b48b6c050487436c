package io.sslseg.platform.testkit;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;

/** Registers the test components under the names the platform tests use. */
public final class TestComponentsModule extends AbstractModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.DATASET, "synthetic").toInstance(new SyntheticDataset.Factory());
        Components.register(binder(), Components.ENCODER, "tiny-cnn").toInstance(new TinyModels.TinyEncoder());
        Components.register(binder(), Components.DECODER, "tiny-head").toInstance(new TinyModels.TinyDecoder());
        Components.register(binder(), Components.SUPERVISED_LOSS, "crash-at").toInstance(new CrashingLoss());
    }
}
