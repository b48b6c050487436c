package io.sslseg.api.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import ai.djl.nn.Block;
import io.sslseg.api.data.Split;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Set;

/**
 * One summand of the training objective beyond the supervised loss (CCT's consistency, a weak-label loss,
 * an adversarial term, ...). It may own blocks of its own (auxiliary decoders), which the platform
 * optimises with the network and saves in checkpoints.
 */
public interface LossTerm {

    /** The extra sample streams it draws from (e.g. {@link Split#UNLABELED}). */
    Set<Split> splits();

    /**
     * The extra splits whose samples this term needs with pixel labels made from their image-level tags before step 1
     * (the weak split, labelled by the run's {@code pseudoLabels} component). The platform runs that stage only when a
     * term asks; {@link StepContext#labels} then returns them. Empty by default.
     */
    default Set<Split> pseudoLabeled() {
        return pseudoLabelled();
    }

    /**
     * @deprecated the former spelling of {@link #pseudoLabeled()}, still read (through its default) so that a term
     * compiled against plugin API 0.2.0 that overrides it keeps working; override {@code pseudoLabeled()} instead
     */
    @Deprecated
    default Set<Split> pseudoLabelled() {
        return Set.of();
    }

    /**
     * The splits whose plain encoder pass this term reads, through {@link StepContext#features} or
     * {@link StepContext#logits} (not views it encodes itself through {@code student()}). With
     * {@code train.jointEncoderPass} the platform encodes these batches in one pass with the labelled one; a split
     * read but not declared here still works, in a pass of its own. Empty by default.
     */
    default Set<Split> encodedSplits() {
        return Set.of();
    }

    /** Named blocks it trains; names must be stable (they key checkpoints). Empty by default. */
    default PairList<String, Block> blocks() {
        return new PairList<>();
    }

    /** Initialises {@link #blocks()} for training crops of {@code imageShape} (N x 3 x H x W). */
    default void initialize(NDManager manager, Shape imageShape) {}

    /**
     * This step's contribution, already weighted (a scalar in the step's graph), or null when it adds
     * nothing this step. Scalars worth logging go through {@link StepContext#log}.
     */
    NDArray compute(StepContext context);

    /**
     * Called once the step's backward pass has run (every gradient is in place) and before the network's
     * update. A term with an optimizer of its own (a discriminator) trains its blocks here: it may run
     * further backward passes through {@link StepContext#backward} and step its own optimizer. Parameters
     * the network's graph used must not be changed in place before this point.
     */
    default void afterBackward(StepContext context) {}

    /**
     * Writes what the term keeps across steps beyond {@link #blocks()} (a discriminator and its optimizer, a
     * prediction memory's snapshot) into a checkpoint being written; {@link #loadState} reads it back when
     * a run resumes. Nothing by default.
     */
    default void saveState(DataOutputStream out) throws IOException {}

    /** @param source the checkpoint file, for errors */
    default void loadState(DataInputStream in, String source) throws IOException {}

    /**
     * The EMA teacher this term needs, or null (the default). The platform builds it, updates it after every
     * optimizer step, saves and restores it, and offers it through {@link StepContext#teacher()}; several terms of one
     * run that ask for one must ask for the same decay.
     */
    default EmaTeacher teacher() {
        return null;
    }

    /**
     * Called after the network's optimizer has applied this step's update (and after the platform has moved the EMA
     * teacher). The parameters hold their new values here; nothing of the step's graph may be used.
     */
    default void afterUpdate(StepContext context) {}
}
