package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
import io.sslseg.api.ssl.Perturbation;
import io.sslseg.api.ssl.PerturbationContext;
import io.sslseg.api.ssl.PerturbationFactory;

/**
 * CCT's context masking ({@code context-mask}: z·M, the background features are zeroed) and object masking
 * ({@code object-mask}: z·(1−M), the predicted objects' features are zeroed), M being the main prediction's
 * foreground resized to z's grid by nearest neighbour. An all-background prediction makes
 * context masking zero z entirely, as in the reference.
 */
public final class GuidedMasking implements Perturbation {
    private final boolean keepObjects;

    /** @param keepObjects true for context masking (keep M), false for object masking (keep 1−M) */
    public GuidedMasking(boolean keepObjects) {
        this.keepObjects = keepObjects;
    }

    @Override
    public NDArray apply(NDArray z, PerturbationContext context) {
        NDArray objects;
        try (NDArray fg = GuidedMasks.foreground(context.mainPrediction())) {
            objects = GuidedMasks.toFeatureGrid(fg, z);
        }
        return z.mul(keepObjects ? objects : objects.neg().add(1f));
    }

    /** @param keepObjects true for {@code context-mask}, false for {@code object-mask} */
    public static PerturbationFactory<NoParams> factory(boolean keepObjects) {
        return PerturbationFactory.of(NoParams.class, new NoParams(),
                keepObjects
                        ? "context masking: zero z where the main prediction is background"
                        : "object masking: zero z where the main prediction is an object (not background)",
                (params, numClasses) -> new GuidedMasking(keepObjects));
    }
}
