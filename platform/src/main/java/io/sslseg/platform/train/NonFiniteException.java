package io.sslseg.platform.train;

import io.sslseg.api.SslsegException;

/**
 * A NaN or infinity where training or validation needs a number: a loss, a gradient (checked before the update
 * applies it) or the network's validation output. {@link TrainingRun} replays the steps since the last checkpoint
 * once to tell a transient fault from a reproducible one.
 */
public final class NonFiniteException extends SslsegException {
    private final long step;

    /** @param step the 1-based step it happened in */
    public NonFiniteException(long step, String what) {
        super("step " + step + ": " + what);
        this.step = step;
    }

    /** Outside a training step (validation, evaluation of a saved run). */
    public NonFiniteException(String what) {
        super(what);
        this.step = -1;
    }

    /** The 1-based step, or -1 outside training. */
    public long step() {
        return step;
    }
}
