package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.sslseg.api.data.SplitMix64;
import io.sslseg.api.nn.ScalarOps;
import io.sslseg.api.ssl.Perturbation;
import io.sslseg.api.ssl.PerturbationContext;
import io.sslseg.api.ssl.PerturbationFactory;

/**
 * CCT's feature drop ({@code feature-drop}): a = mean of z over channels; one γ ~ U(gammaMin,
 * gammaMax) per call, shared by the batch; the positions where a ≥ γ·max(a) of their sample (the strongest
 * activations) are zeroed in every channel. Nothing is rescaled.
 */
public final class FeatureDrop implements Perturbation {

    /**
     * @param gammaMin the smallest γ, the threshold as a fraction of each sample's peak channel-mean activation
     * @param gammaMax the largest γ (each call draws one uniformly between the two)
     */
    public record Params(double gammaMin, double gammaMax) {
        public static final Params DEFAULTS = new Params(0.7, 0.9);

        public Params {
            if (!(gammaMin > 0 && gammaMin <= gammaMax && gammaMax <= 1)) {
                throw new IllegalArgumentException(
                        "gammaMin and gammaMax must satisfy 0 < gammaMin <= gammaMax <= 1, got " + gammaMin + " and " + gammaMax);
            }
        }
    }

    public static PerturbationFactory<Params> factory() {
        return PerturbationFactory.of(Params.class, Params.DEFAULTS,
                "feature drop: zero the positions whose channel-mean activation is above gamma x its sample's peak, "
                        + "gamma ~ U(0.7, 0.9)",
                (params, numClasses) -> new FeatureDrop(params));
    }

    private final Params params;

    public FeatureDrop(Params params) {
        this.params = params;
    }

    @Override
    public NDArray apply(NDArray z, PerturbationContext context) {
        double gamma = gamma(context.seed());
        long n = z.getShape().get(0);
        // the mask is a constant: computed on detached values
        NDArray attention = z.stopGradient().mean(new int[] {1}, true); // N x 1 x h x w
        NDArray threshold = ScalarOps.mul(attention.reshape(n, -1).max(new int[] {1}, true), gamma).reshape(n, 1, 1, 1);
        return z.mul(attention.lt(threshold).toType(z.getDataType(), false));
    }

    /** The γ a call with this seed draws (one per call; tests reproduce it). */
    double gamma(long seed) {
        return SplitMix64.of(seed).nextDouble(params.gammaMin(), params.gammaMax());
    }
}
