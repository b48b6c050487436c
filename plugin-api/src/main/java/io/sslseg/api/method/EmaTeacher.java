package io.sslseg.api.method;

/**
 * A loss term's request for a teacher: a copy of the network whose every value (weights and batch-norm running
 * statistics) follows the student's as an exponential moving average, updated by the platform after each optimizer
 * step with the rate {@code min(decay, 1 - 1/(t + 1))} at update {@code t} (from 1), so the early teacher is not
 * pinned to the random initialisation (Mean Teacher's and UniMatch V2's warm-up). It starts as an exact copy of the
 * student, is saved in checkpoints and restored bit-exactly on resume, and {@code eval.model: teacher} evaluates it.
 *
 * @param decay the EMA's decay, in (0, 1)
 */
public record EmaTeacher(double decay) {
    public EmaTeacher {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("an EMA teacher's decay must be in (0, 1), got " + decay);
        }
    }

    /** The rate the update numbered {@code t} (from 1) uses. */
    public double rateAt(long t) {
        return Math.min(decay, 1.0 - 1.0 / (t + 1));
    }
}
