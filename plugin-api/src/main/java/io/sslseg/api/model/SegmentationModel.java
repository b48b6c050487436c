package io.sslseg.api.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The whole segmentation network as a loss term may run it on tensors of its choice: a strongly augmented view,
 * or encoder features it perturbed before decoding them (UniMatch's feature-perturbation branch). The step offers
 * the student (training mode, in the step's graph) and, to terms that declare one, the EMA teacher (inference mode,
 * no gradient).
 */
public interface SegmentationModel {
    /** The encoder's stages for normalised images N x 3 x H x W (H and W multiples of the output stride). */
    NDList encode(NDArray images);

    /** Class logits N x C x H x W at the input size, from the encoder's stages (perturbed or not). */
    NDArray decode(NDList features);

    /** Encoder then decoder. */
    default NDArray logits(NDArray images) {
        return decode(encode(images));
    }
}
