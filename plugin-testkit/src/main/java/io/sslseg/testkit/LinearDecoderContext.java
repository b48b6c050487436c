package io.sslseg.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.nn.SpatialOps;
import io.sslseg.api.ssl.PerturbationContext;
import java.util.function.UnaryOperator;

/**
 * A perturbation context whose auxiliary decoder is linear and known: a 1x1 conv without bias with weights W
 * (C x D), so logits = W z per pixel, resized bilinearly to the image size where one is given. It runs inside the
 * test's one gradient collector; {@link #inputGradient} freezes the conv, backpropagates to the detached input and
 * unfreezes it, as the training step does.
 */
public final class LinearDecoderContext implements PerturbationContext {
    private final Conv2d conv;
    private final ParameterStore store;
    private final GradientCollector collector;
    private final NDArray mainLogits;
    private final int imageSize;
    private final long seed;
    private NDArray prediction;

    /**
     * @param mainLogits the main decoder's prediction, or null where the perturbation under test must not read it
     * @param imageSize the side the logits are resized to, or 0 to keep the features' resolution
     */
    public LinearDecoderContext(NDManager manager, GradientCollector collector, float[][] weights, NDArray mainLogits,
            int imageSize, long seed) {
        int classes = weights.length;
        int channels = weights[0].length;
        this.conv = Layers.conv2d(classes, 1, 1, 1, false);
        conv.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 1, 1));
        float[] flat = new float[classes * channels];
        for (int c = 0; c < classes; c++) {
            System.arraycopy(weights[c], 0, flat, c * channels, channels);
        }
        weight().set(flat);
        this.store = new ParameterStore(manager, false);
        this.collector = collector;
        this.mainLogits = mainLogits;
        this.imageSize = imageSize;
        this.seed = seed;
    }

    /** The conv's weight, C x D x 1 x 1: its gradient is what a perturbation must not leave behind. */
    public NDArray weight() {
        return conv.getParameters().get("weight").getArray();
    }

    @Override
    public NDArray mainLogits() {
        if (mainLogits == null) {
            throw new UnsupportedOperationException("this test gives the perturbation no main prediction");
        }
        return mainLogits;
    }

    /** One array for every call, as the training step shares it: a perturbation must leave it as it found it. */
    @Override
    public NDArray mainPrediction() {
        if (prediction == null) {
            prediction = mainLogits().argMax(1);
        }
        return prediction;
    }

    /** The shared prediction if a perturbation asked for it, else null. */
    public NDArray sharedPrediction() {
        return prediction;
    }

    @Override
    public NDArray decode(NDArray z) {
        NDArray logits = conv.forward(store, new NDList(z), true).singletonOrThrow();
        return imageSize > 0 ? SpatialOps.resizeBilinear(logits, imageSize, imageSize) : logits;
    }

    @Override
    public NDArray inputGradient(NDArray input, UnaryOperator<NDArray> lossOfLogits) {
        conv.freezeParameters(true);
        try {
            input.setRequiresGradient(true);
            collector.backward(lossOfLogits.apply(decode(input)));
            return input.getGradient().duplicate();
        } finally {
            conv.freezeParameters(false); // no batch norm here, so unfreezing everything restores the flags
        }
    }

    @Override
    public long seed() {
        return seed;
    }
}
