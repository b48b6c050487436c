package io.sslseg.api.loss;

/** Where training stands: the global iteration (from 0) and the run's total, for annealed losses and ramps. */
public record TrainingClock(long iteration, long totalIterations) {
    /** Fraction of training done, in [0, 1]. */
    public double progress() {
        return totalIterations <= 0 ? 1.0 : Math.min(1.0, Math.max(0.0, (double) iteration / totalIterations));
    }
}
