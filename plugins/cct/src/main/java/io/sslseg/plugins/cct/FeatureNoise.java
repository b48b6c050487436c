package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
import io.sslseg.api.data.SplitMix64;
import io.sslseg.api.ssl.Perturbation;
import io.sslseg.api.ssl.PerturbationContext;
import io.sslseg.api.ssl.PerturbationFactory;

/**
 * CCT's feature noise ({@code feature-noise}): multiplicative uniform noise z·(1 + N), N ~ U(−r, r)
 * of shape D x h x w, one draw shared by every sample of the batch.
 */
public final class FeatureNoise implements Perturbation {

    /** @param uniformRange r, the reference's {@code uniform_range} 0.3 */
    public record Params(double uniformRange) {
        public static final Params DEFAULTS = new Params(0.3);

        public Params {
            if (!(uniformRange >= 0 && uniformRange < 1)) {
                throw new IllegalArgumentException("uniformRange must be in [0, 1), got " + uniformRange);
            }
        }
    }

    public static PerturbationFactory<Params> factory() {
        return PerturbationFactory.of(Params.class, Params.DEFAULTS,
                "feature noise: z x (1 + N), N ~ U(-0.3, 0.3) shared by the batch",
                (params, numClasses) -> new FeatureNoise(params));
    }

    private final Params params;

    public FeatureNoise(Params params) {
        this.params = params;
    }

    @Override
    public NDArray apply(NDArray z, PerturbationContext context) {
        double r = params.uniformRange();
        NDArray noise = SeededArrays.uniform(z.getManager(), SplitMix64.of(context.seed()), z.getShape().slice(1), -r, r);
        return z.mul(noise.add(1f)); // broadcast over the batch
    }
}
