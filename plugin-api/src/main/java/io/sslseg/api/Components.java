package io.sslseg.api;

import com.google.inject.Binder;
import com.google.inject.TypeLiteral;
import com.google.inject.binder.LinkedBindingBuilder;
import com.google.inject.multibindings.MapBinder;
import io.sslseg.api.augment.AugmentationFactory;
import io.sslseg.api.data.DatasetFactory;
import io.sslseg.api.launch.LauncherFactory;
import io.sslseg.api.loss.SupervisedLossFactory;
import io.sslseg.api.method.LossTermFactory;
import io.sslseg.api.model.DecoderFactory;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.ssl.ConsistencyLossFactory;
import io.sslseg.api.ssl.PerturbationFactory;
import io.sslseg.api.weak.PseudoLabelerFactory;
import java.util.List;

/**
 * The extension points and the one way to register a component: a named entry in the Guice map of its
 * kind. A plugin's {@link SslsegModule} calls these from {@code configure()}.
 */
public final class Components {
    public static final Kind<EncoderFactory<?>> ENCODER =
            new Kind<>("encoder", new TypeLiteral<EncoderFactory<?>>() {});
    public static final Kind<DecoderFactory<?>> DECODER =
            new Kind<>("decoder", new TypeLiteral<DecoderFactory<?>>() {});
    public static final Kind<DatasetFactory<?>> DATASET =
            new Kind<>("dataset", new TypeLiteral<DatasetFactory<?>>() {});
    public static final Kind<SupervisedLossFactory<?>> SUPERVISED_LOSS =
            new Kind<>("supervised-loss", new TypeLiteral<SupervisedLossFactory<?>>() {});

    public static final Kind<PerturbationFactory<?>> PERTURBATION =
            new Kind<>("perturbation", new TypeLiteral<PerturbationFactory<?>>() {});
    public static final Kind<ConsistencyLossFactory<?>> CONSISTENCY_LOSS =
            new Kind<>("consistency-loss", new TypeLiteral<ConsistencyLossFactory<?>>() {});

    public static final Kind<LossTermFactory<?>> LOSS_TERM =
            new Kind<>("loss-term", new TypeLiteral<LossTermFactory<?>>() {});

    public static final Kind<PseudoLabelerFactory<?>> PSEUDO_LABELER =
            new Kind<>("pseudo-labeler", new TypeLiteral<PseudoLabelerFactory<?>>() {});

    /** Image augmentations a method draws its own views with (strong views, batch mixing). */
    public static final Kind<AugmentationFactory<?>> AUGMENTATION =
            new Kind<>("augmentation", new TypeLiteral<AugmentationFactory<?>>() {});

    /** Where {@code compare} runs a grid's cells: this machine, or a cluster scheduler. */
    public static final Kind<LauncherFactory<?>> LAUNCHER =
            new Kind<>("launcher", new TypeLiteral<LauncherFactory<?>>() {});

    /** Every extension point, in the order {@code plugins list} prints them. */
    public static final List<Kind<?>> KINDS =
            List.of(ENCODER, DECODER, DATASET, SUPERVISED_LOSS, LOSS_TERM, PERTURBATION, CONSISTENCY_LOSS,
                    PSEUDO_LABELER, AUGMENTATION, LAUNCHER);

    private Components() {}

    public static <F extends ComponentFactory<?, ?, ?>> MapBinder<String, F> mapBinder(Binder binder, Kind<F> kind) {
        return MapBinder.newMapBinder(binder, TypeLiteral.get(String.class), kind.factoryType());
    }

    /** Registers a component under {@code name} (lower-case, digits and '-'). */
    public static <F extends ComponentFactory<?, ?, ?>> LinkedBindingBuilder<F> register(
            Binder binder, Kind<F> kind, String name) {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException(
                    "component name '" + name + "' must be lower-case letters, digits and '-'");
        }
        return mapBinder(binder, kind).addBinding(name);
    }
}
