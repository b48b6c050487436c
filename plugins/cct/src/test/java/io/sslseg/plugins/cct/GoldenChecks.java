package io.sslseg.plugins.cct;

import io.sslseg.testkit.Golden;

/**
 * Golden comparisons at 1e-5 relative, reporting the largest relative error seen.
 *
 * <p>Gradients use a floor of 1e-3 x the array's largest |value|: an element many times smaller than the
 * others carries float32 rounding of the larger terms it is computed from (softmax differences, sums), so its
 * own relative error says nothing about the implementation; 1e-5 of the floor is still ~1e-8 of the scale.
 */
final class GoldenChecks {
    static final double REL = 1e-5;

    private GoldenChecks() {}

    static double value(double expected, double actual, String what) {
        double err = Math.abs(actual - expected) / Math.abs(expected);
        if (!(err <= REL)) {
            throw new AssertionError(what + ": " + actual + " != expected " + expected + " (rel " + err + ")");
        }
        System.out.printf("golden %-45s value     max rel err %.2e%n", what, err);
        return err;
    }

    static double array(float[] expected, float[] actual, String what) {
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double floor = 1e-3 * scale;
        Golden.assertClose(expected, actual, REL, floor, what);
        double max = 0, unfloored = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(actual[i] - expected[i]);
            max = Math.max(max, diff / Math.max(Math.abs(expected[i]), floor));
            unfloored = Math.max(unfloored, expected[i] == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : diff / Math.abs(expected[i]));
        }
        System.out.printf("golden %-45s gradient  max rel err %.2e (%.2e without the floor)%n", what, max, unfloored);
        return max;
    }
}
