package io.sslseg.plugins.cct;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegModule;
import io.sslseg.plugins.cct.SoftmaxConsistencyLoss.Distance;
import org.pf4j.Extension;

/**
 * Registers CCT's components: the main decoder {@code cct-main}; the seven perturbations; the
 * consistency losses {@code mse} (CCT's default), {@code kl} and {@code js}; the supervised loss {@code abce};
 * the loss terms {@code cct} and {@code cct-weak}.
 */
@Extension
public final class CctModule extends AbstractModule implements SslsegModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.DECODER, "cct-main").toInstance(CctMainDecoder.factory());

        Components.register(binder(), Components.PERTURBATION, "vat").toInstance(Vat.factory());
        Components.register(binder(), Components.PERTURBATION, "dropout").toInstance(FeatureDropout.factory());
        Components.register(binder(), Components.PERTURBATION, "g-cutout").toInstance(GuidedCutout.factory());
        Components.register(binder(), Components.PERTURBATION, "context-mask").toInstance(GuidedMasking.factory(true));
        Components.register(binder(), Components.PERTURBATION, "object-mask").toInstance(GuidedMasking.factory(false));
        Components.register(binder(), Components.PERTURBATION, "feature-drop").toInstance(FeatureDrop.factory());
        Components.register(binder(), Components.PERTURBATION, "feature-noise").toInstance(FeatureNoise.factory());

        for (Distance d : Distance.values()) {
            Components.register(binder(), Components.CONSISTENCY_LOSS, d.configName())
                    .toInstance(SoftmaxConsistencyLoss.factory(d));
        }

        Components.register(binder(), Components.SUPERVISED_LOSS, "abce").toInstance(AbceLoss.factory());
        Components.register(binder(), Components.LOSS_TERM, "cct").toInstance(CctTerm.factory());
        Components.register(binder(), Components.LOSS_TERM, "cct-weak").toInstance(CctWeakTerm.factory());
    }
}
