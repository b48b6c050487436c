package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.data.SplitMix64;
import io.sslseg.api.ssl.Perturbation;
import io.sslseg.api.ssl.PerturbationContext;
import io.sslseg.api.ssl.PerturbationFactory;

/**
 * CCT's DropOut perturbation ({@code dropout}): PyTorch's {@code Dropout2d} on z, each (sample,
 * channel) map zeroed with probability {@code rate} and the survivors scaled by 1/(1−rate); with
 * {@code spatial: false}, element-wise {@code Dropout}. Always active: perturbations run only in training.
 */
public final class FeatureDropout implements Perturbation {

    /**
     * @param rate the drop probability (the reference's {@code drop_rate} 0.5)
     * @param spatial drop whole channel maps (Dropout2d) rather than single elements
     */
    public record Params(double rate, boolean spatial) {
        public static final Params DEFAULTS = new Params(0.5, true);

        public Params {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("rate must be in [0, 1), got " + rate);
            }
        }
    }

    public static PerturbationFactory<Params> factory() {
        return PerturbationFactory.of(Params.class, Params.DEFAULTS,
                "spatial dropout on z: each channel map zeroed with probability 0.5, survivors scaled by 2",
                (params, numClasses) -> new FeatureDropout(params));
    }

    private final Params params;

    public FeatureDropout(Params params) {
        this.params = params;
    }

    @Override
    public NDArray apply(NDArray z, PerturbationContext context) {
        Shape s = z.getShape();
        Shape maskShape = params.spatial() ? new Shape(s.get(0), s.get(1), 1, 1) : s;
        float scale = (float) (1 / (1 - params.rate()));
        return z.mul(SeededArrays.bernoulli(z.getManager(), SplitMix64.of(context.seed()), maskShape,
                1 - params.rate(), scale));
    }
}
