package io.sslseg.testkit;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;

/** Registers the test components under the names the platform tests use. */
public final class TestComponentsModule extends AbstractModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.DATASET, "synthetic").toInstance(SyntheticDataset.factory());
        Components.register(binder(), Components.ENCODER, "tiny-cnn").toInstance(TinyModels.encoderFactory());
        Components.register(binder(), Components.DECODER, "tiny-head").toInstance(TinyModels.decoderFactory());
        Components.register(binder(), Components.SUPERVISED_LOSS, "crash-at").toInstance(CrashingLoss.factory());
        Components.register(binder(), Components.SUPERVISED_LOSS, "zero").toInstance(ZeroLoss.factory());
        Components.register(binder(), Components.LOSS_TERM, "counting").toInstance(CountingTerm.factory());
        Components.register(binder(), Components.LOSS_TERM, "faulty-gradient").toInstance(FaultyGradientTerm.factory());
        Components.register(binder(), Components.LOSS_TERM, "teacher-probe").toInstance(TeacherProbeTerm.factory());
    }
}
