package io.sslseg.api.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import ai.djl.nn.Block;
import io.sslseg.api.data.Split;
import java.util.Set;

/**
 * One summand of the training objective beyond the supervised loss (CCT's consistency, a weak-label loss,
 * an adversarial term, ...). It may own blocks of its own (auxiliary decoders), which the platform
 * optimises with the network and saves in checkpoints.
 */
public interface LossTerm {

    /** The extra sample streams it draws from (e.g. {@link Split#UNLABELED}). */
    Set<Split> splits();

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
}
