package io.sslseg.platform.train;

/** The reference's poly decay, stepped every iteration: lr_t = base * (1 - t/N)^power; the first step uses 1. */
public record PolySchedule(long totalIterations, double power) {
    public double factor(long iteration) {
        double left = 1.0 - (double) Math.min(iteration, totalIterations) / totalIterations;
        return Math.pow(left, power);
    }
}
