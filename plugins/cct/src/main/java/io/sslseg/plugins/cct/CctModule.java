package io.sslseg.plugins.cct;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import io.sslseg.plugins.cct.SoftmaxConsistencyLoss.Distance;
import org.pf4j.Extension;

/**
 * Registers CCT's components: the main decoder {@code cct-main}; the seven perturbations (cct.md 1.3); the
 * consistency losses {@code mse} (CCT's default), {@code kl} and {@code js}; the supervised loss {@code abce}.
 */
@Extension
public final class CctModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.DECODER, "cct-main").toInstance(new CctMainDecoderFactory());

        Components.register(binder(), Components.PERTURBATION, "vat").toInstance(new Vat.Factory());
        Components.register(binder(), Components.PERTURBATION, "dropout").toInstance(new FeatureDropout.Factory());
        Components.register(binder(), Components.PERTURBATION, "g-cutout").toInstance(new GuidedCutout.Factory());
        Components.register(binder(), Components.PERTURBATION, "context-mask").toInstance(new GuidedMasking.Factory(true));
        Components.register(binder(), Components.PERTURBATION, "object-mask").toInstance(new GuidedMasking.Factory(false));
        Components.register(binder(), Components.PERTURBATION, "feature-drop").toInstance(new FeatureDrop.Factory());
        Components.register(binder(), Components.PERTURBATION, "feature-noise").toInstance(new FeatureNoise.Factory());

        for (Distance d : Distance.values()) {
            Components.register(binder(), Components.CONSISTENCY_LOSS, d.configName())
                    .toInstance(new SoftmaxConsistencyLoss.Factory(d));
        }

        Components.register(binder(), Components.SUPERVISED_LOSS, "abce").toInstance(new AbceLoss.Factory());
    }
}
