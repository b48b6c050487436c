package io.sslseg.api.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.sslseg.api.data.AugmentView;
import io.sslseg.api.data.ImageNormalization;
import io.sslseg.api.data.Split;
import io.sslseg.api.model.SegmentationModel;
import io.sslseg.api.loss.TrainingClock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What one training step offers its loss terms. Everything made here lives in {@link #manager()}.
 *
 * <p>Every method has a default: the platform's own step overrides them all, and a test double overrides only what
 * its term reads (a few lines); asked for anything else, it throws {@link UnsupportedOperationException} naming
 * what was asked. Capabilities added after the first API version are defaults too, so a platform or a test double
 * written against the earlier interface still compiles and runs.
 */
public interface StepContext {
    default TrainingClock clock() {
        throw unsupported("clock");
    }

    /** The step's NDManager; closed when the step ends. */
    default NDManager manager() {
        throw unsupported("manager");
    }

    /** The step's parameter store: forward every block through it. */
    default ParameterStore store() {
        throw unsupported("store");
    }

    default int numClasses() {
        throw unsupported("numClasses");
    }

    /** This step's batch of {@code split}, normalised images N x 3 x H x W. */
    default NDArray images(Split split) {
        throw unsupported("images");
    }

    /** Class ids N x H x W (int64, 255 = ignore), or null where the split has no masks. */
    default NDArray labels(Split split) {
        throw unsupported("labels");
    }

    /** The ids of this step's samples of {@code split}, in batch order. */
    default List<String> ids(Split split) {
        throw unsupported("ids");
    }

    /** Where each crop of this step's batch of {@code split} came from in its source image. */
    default List<AugmentView> views(Split split) {
        throw unsupported("views");
    }

    /** Image-level tags per sample (null entries when unknown). */
    default List<Set<Integer>> tags(Split split) {
        throw unsupported("tags");
    }

    /**
     * The encoder's output on this step's batch of {@code split}, computed once per step and split (one
     * encoder pass per batch, so batch-norm statistics are per batch, as in the reference).
     */
    default NDList features(Split split) {
        throw unsupported("features");
    }

    /**
     * The main decoder's logits (N x C x H x W, in the graph) on this step's batch of {@code split}, computed
     * once per step and split: the supervised loss and every term share the same forward.
     */
    default NDArray logits(Split split) {
        throw unsupported("logits");
    }

    /**
     * A backward pass of a graph separate from the step's loss (a discriminator's loss on detached inputs),
     * accumulating into the gradients of the parameters it reaches. Only from {@link LossTerm#afterBackward}
     * or on graphs that share nothing with the step's loss.
     */
    default void backward(NDArray loss) {
        throw unsupported("backward");
    }

    /** A seed for random draws, distinct per step and per {@code stream}; the same when a run resumes. */
    default long seed(long stream) {
        throw unsupported("seed");
    }

    /** Records a scalar in this step's metrics line (e.g. {@code loss_unsup}, {@code w_u}). */
    default void log(String key, double value) {
        throw unsupported("log");
    }

    /**
     * The gradient of {@code loss(block(input))} with respect to {@code input}, leaving no gradient on
     * any parameter ({@code block} is frozen meanwhile). {@code input} must be detached. VAT needs this.
     */
    default NDArray inputGradient(Block block, NDArray input, UnaryOperator<NDArray> loss) {
        throw unsupported("inputGradient");
    }

    /**
     * Values one term leaves for a later term in the same step (keyed by the term that made them, e.g. CCT's
     * auxiliary predictions, which the weak-label loss reuses rather than recomputing); emptied every step.
     */
    default Map<Object, Object> stepState() {
        throw unsupported("stepState");
    }

    /** Runs {@code block} in training mode through the step's store. */
    default NDList forward(Block block, NDList inputs) {
        throw unsupported("forward");
    }

    /** How the step's images were normalised; photometric augmentations work on {@link #pixels} instead. */
    default ImageNormalization normalization() {
        return ImageNormalization.IMAGENET;
    }

    /** This step's batch of {@code split} as pixels in [0, 1], N x 3 x H x W (outside any graph). */
    default NDArray pixels(Split split) {
        return normalization().toPixels(images(split)).stopGradient();
    }

    /**
     * The network being trained, in training mode and in the step's graph: run it on any normalised images (a
     * strong view) or decode features of the term's making (perturbed encoder stages). Batch-norm statistics are
     * those of each call's batch.
     */
    default SegmentationModel student() {
        throw new UnsupportedOperationException("this platform offers no handle on the network");
    }

    /**
     * The student as {@link #student()}, except that its batch-norm layers leave their running statistics as they
     * were: each call still normalises with its own batch's statistics, but what evaluation will use is estimated
     * from the step's other batches only. For views whose statistics evaluation never sees (colour-jittered, blurred,
     * mixed images): letting them move the running averages costs val mIoU (measured: docs/methods.md).
     */
    default SegmentationModel studentKeepingStatistics() {
        return student();
    }

    /**
     * The EMA teacher this term declared with {@link LossTerm#teacher()}: inference mode (running statistics), no
     * gradient, outputs outside the graph.
     *
     * @throws IllegalStateException when no loss term of the run declared a teacher
     */
    default SegmentationModel teacher() {
        throw new IllegalStateException("this run has no teacher; a loss term must declare one with LossTerm.teacher()");
    }

    /**
     * Runs {@code work} without recording a graph (a pseudo-label from the student's prediction on the weak view
     * costs a forward pass and nothing else); what it returns carries no gradient.
     */
    default <T> T withoutGradient(Supplier<T> work) {
        return work.get();
    }

    /** What a double's unimplemented method throws: which capability the term asked for. */
    private static UnsupportedOperationException unsupported(String capability) {
        return new UnsupportedOperationException("this step context offers no " + capability + "()");
    }
}
