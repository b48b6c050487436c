package io.sslseg.plugins.tempens;

import io.sslseg.api.FormerNames;

/**
 * The temporal-ensembling term (Laine and Aila, ICLR 2017).
 *
 * @param alpha the accumulators' decay ({@code prediction_decay}, reference 0.6), in [0, 1)
 * @param wMax the unsupervised weight's maximum (reference 30)
 * @param scaleByLabeledFraction multiply the weight by M / N (labelled images over labelled plus this split's
 *     images), as the reference does
 * @param rampUp fraction of the run over which the weight ramps up with {@code exp(-5 (1 - T)^2)} (the
 *     reference ramps over 80 of 300 epochs; 0.4 by default, as the design note suggests)
 * @param split the images that are ensembled and get the consistency loss: {@code unlabeled} or {@code weak}
 */
public record TemporalEnsemblingParams(double alpha, double wMax,
        @FormerNames("scaleByLabelledFraction") boolean scaleByLabeledFraction, double rampUp, String split) {

    public TemporalEnsemblingParams {
        if (!(alpha >= 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1) (the accumulators' decay; 1 would never"
                    + " update them), got " + alpha);
        }
        if (!(wMax >= 0) || Double.isInfinite(wMax)) {
            throw new IllegalArgumentException("wMax must be finite and >= 0, got " + wMax);
        }
        if (!(rampUp >= 0 && rampUp <= 1)) {
            throw new IllegalArgumentException("rampUp must be a fraction of the run in [0, 1], got " + rampUp);
        }
        if (!"unlabeled".equals(split) && !"weak".equals(split)) {
            throw new IllegalArgumentException("split must be 'unlabeled' or 'weak', got '" + split + "'");
        }
    }

    /** The reference's values: alpha 0.6, w_max 30 scaled by M / N, ramp-up over 40 % of the run. */
    public static TemporalEnsemblingParams defaults() {
        return new TemporalEnsemblingParams(0.6, 30.0, true, 0.4, "unlabeled");
    }
}
