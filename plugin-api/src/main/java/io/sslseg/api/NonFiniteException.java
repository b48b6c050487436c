package io.sslseg.api;

/**
 * A NaN or infinity where training or validation needs a number: a loss, a gradient (checked before the update
 * applies it), the network's validation output, or a value a loss term checks itself (a discriminator's loss before
 * its own update). The platform's training run replays the steps since the last checkpoint once to tell a transient
 * fault from a reproducible one, so a term throws this rather than a plain {@link SslsegException}.
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
