package io.sslseg.api.ssl;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/** What a perturbation may use besides the features; provided by the training step. */
public interface PerturbationContext {

    /** The main decoder's logits on the same unlabelled batch, N x C x H x W at image resolution, detached. */
    NDArray mainLogits();

    /**
     * The main decoder's predicted class per pixel, {@code mainLogits().argMax(1)}: N x H x W int64. The training
     * step computes it once and every perturbation of the step gets the same array (an argmax over a batch of
     * logits costs milliseconds, and CCT's reference setting has ten guided perturbations): do not close or modify
     * it. This default, for contexts that do not share it, makes a new one per call.
     */
    default NDArray mainPrediction() {
        return mainLogits().argMax(1);
    }

    /** Runs the auxiliary decoder this perturbation feeds (training mode) on {@code z}: logits N x C x H x W. */
    NDArray decode(NDArray z);

    /**
     * The gradient of {@code loss(decode(input))} with respect to {@code input}, leaving no gradient behind
     * on any parameter (the decoder is frozen meanwhile). {@code input} must be detached from the graph; the
     * result is a new array of its shape. This is VAT's power iteration step.
     */
    NDArray inputGradient(NDArray input, UnaryOperator<NDArray> lossOfLogits);

    /** A seed for this call's random draws (different per step and per auxiliary decoder; same on resume). */
    long seed();
}
