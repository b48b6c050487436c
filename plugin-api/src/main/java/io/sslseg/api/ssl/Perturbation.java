package io.sslseg.api.ssl;

import ai.djl.ndarray.NDArray;

/**
 * Perturbs the encoder features of the unlabelled batch before one auxiliary decoder (CCT). Feature-based
 * ones (dropout, noise, feature drop) use z alone; prediction-based ones (masking, cutout) use the main
 * decoder's detached prediction; adversarial ones (VAT) use the decoder through the context.
 */
public interface Perturbation {
    /**
     * @param z N x D x h x w features, part of the graph (gradients flow back to the encoder through the result)
     * @return the perturbed features, same shape
     */
    NDArray apply(NDArray z, PerturbationContext context);
}
