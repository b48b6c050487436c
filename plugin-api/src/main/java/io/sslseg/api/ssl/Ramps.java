package io.sslseg.api.ssl;

import io.sslseg.api.loss.TrainingClock;
import java.util.Arrays;
import java.util.Locale;

/**
 * The ramp-ups of CCT's {@code utils/ramps.py} as pure functions of {@code (current, length)}, both in
 * iterations, and the consistency weight built on them. Every ramp clips {@code current} to
 * {@code [0, length]} and returns 1 when {@code length} is 0, as the reference does (its linear ramp asserts
 * {@code current >= 0} instead of clipping below; clipping gives the same values wherever the assert holds).
 * Computed in double precision, like the reference's NumPy code.
 */
public final class Ramps {
    private Ramps() {}

    /** A ramp by its config name. */
    public enum Ramp {
        SIGMOID("sigmoid"),
        LINEAR("linear"),
        COSINE("cosine"),
        LOG("log"),
        EXP("exp");

        private final String configName;

        Ramp(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        /** The ramp at {@code current} of {@code length}, in [0, 1]. */
        public double at(double current, double length) {
            return switch (this) {
                case SIGMOID -> sigmoid(current, length);
                case LINEAR -> linear(current, length);
                case COSINE -> cosine(current, length);
                case LOG -> log(current, length);
                case EXP -> exp(current, length);
            };
        }

        /** Parses a config value ({@code sigmoid}, {@code linear}, {@code cosine}, {@code log}, {@code exp}). */
        public static Ramp named(String name) {
            for (Ramp r : values()) {
                if (r.configName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown ramp '" + name + "', expected one of " + names());
        }

        public static String names() {
            return Arrays.toString(Arrays.stream(values()).map(Ramp::configName).toArray());
        }
    }

    /** {@code exp(-5 (1 - x)^2)}, x = current / length clipped to [0, 1]: the reference's default, e^-5 at 0. */
    public static double sigmoid(double current, double length) {
        if (length == 0) {
            return 1.0;
        }
        double phase = 1.0 - clip(current, length) / length;
        return Math.exp(-5.0 * phase * phase);
    }

    /** {@code x}. */
    public static double linear(double current, double length) {
        if (current >= length) {
            return 1.0; // also covers length 0, as the reference's early return does
        }
        return clip(current, length) / length;
    }

    /** {@code 1 - (cos(pi x) + 1) / 2}. */
    public static double cosine(double current, double length) {
        if (length == 0) {
            return 1.0;
        }
        return 1 - 0.5 * (Math.cos(Math.PI * clip(current, length) / length) + 1);
    }

    /** {@code 1 - exp(-5 x)}: reaches only 1 - e^-5 (0.9933) at the end, as in the reference. */
    public static double log(double current, double length) {
        if (length == 0) {
            return 1.0;
        }
        return 1 - Math.exp(-5.0 * clip(current, length) / length);
    }

    /** {@code exp(5 (x - 1))}. */
    public static double exp(double current, double length) {
        if (length == 0) {
            return 1.0;
        }
        return Math.exp(5.0 * (clip(current, length) / length - 1));
    }

    /**
     * CCT's {@code consistency_weight}: 0 before {@code rampStart}, then
     * {@code finalWeight * ramp(iteration - rampStart, rampEnd - rampStart)}, constant after {@code rampEnd}.
     * All in global iterations counted from 0 ({@code epoch * itersPerEpoch + iterInEpoch} in the reference,
     * whose ramp bounds are whole epochs times iters per epoch).
     */
    public static double consistencyWeight(double finalWeight, Ramp ramp, long iteration, long rampStart, long rampEnd) {
        if (rampEnd < rampStart) {
            throw new IllegalArgumentException("ramp end " + rampEnd + " is before its start " + rampStart);
        }
        if (iteration < rampStart) {
            return 0.0;
        }
        return finalWeight * ramp.at(iteration - rampStart, rampEnd - rampStart);
    }

    /**
     * Checks a ramp named {@code ramp} over the window [start, end] given as fractions of training.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static void checkWindow(String ramp, double rampUpStart, double rampUpEnd) {
        Ramp.named(ramp);
        if (!(rampUpStart >= 0 && rampUpStart <= rampUpEnd && rampUpEnd <= 1)) {
            throw new IllegalArgumentException("need 0 <= rampUpStart <= rampUpEnd <= 1, got " + rampUpStart + ", "
                    + rampUpEnd);
        }
    }

    /**
     * {@link #consistencyWeight} with the window given as fractions of training: 0 before {@code rampUpStart}, the ramp
     * to {@code finalWeight} until {@code rampUpEnd}, then {@code finalWeight} (at once when the window is empty).
     */
    public static double weightAt(double finalWeight, String ramp, double rampUpStart, double rampUpEnd,
            TrainingClock clock) {
        long start = Math.round(rampUpStart * clock.totalIterations());
        long end = Math.round(rampUpEnd * clock.totalIterations());
        if (clock.iteration() < start) {
            return 0.0;
        }
        if (end <= start) {
            return finalWeight;
        }
        return consistencyWeight(finalWeight, Ramp.named(ramp), clock.iteration(), start, end);
    }

    private static double clip(double current, double length) {
        return Math.min(Math.max(current, 0.0), length);
    }
}
