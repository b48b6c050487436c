package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.loss.SupervisedLoss;
import io.sslseg.api.loss.SupervisedLossFactory;
import io.sslseg.api.loss.PixelLabels;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.api.nn.ScalarOps;
import io.sslseg.api.ssl.Ramps;
import java.util.Arrays;

/**
 * CCT's annealed bootstrapped cross-entropy ({@code abCE_loss}): mean CE over the labelled pixels
 * whose ground-truth probability is below a threshold η(t) that ramps from {@code start} (1/C) to
 * {@code end} over the first {@code rampFraction} of training, but never below the
 * ({@code minKept}·N)-th smallest such probability, so the hardest pixels always count. Only the hard pixels
 * train: easy ones (p_gt ≥ threshold) get no gradient. 255 is ignored.
 */
public final class AbceLoss implements SupervisedLoss {

    /**
     * @param ramp the threshold's ramp ({@link Ramps.Ramp} names; the reference uses {@code log}), or
     *     {@code none} for the fixed {@code fixedThreshold} (the reference's {@code ramp_type=None})
     * @param start the threshold at iteration 0; 0 means 1/C, the reference's value
     * @param end the threshold the ramp heads for (0.9; the log ramp stops at 1 - e^-5 of the way)
     * @param rampFraction the ramp length as a fraction of all iterations (the reference's 0.4)
     * @param minKept pixels per image always kept (the reference's {@code min_kept})
     * @param fixedThreshold the threshold when {@code ramp} is {@code none} (the reference's {@code thresh})
     */
    public record Params(String ramp, double start, double end, double rampFraction, int minKept, double fixedThreshold) {
        public static final String NO_RAMP = "none";
        public static final Params DEFAULTS = new Params("log", 0, 0.9, 0.4, 1, 0.7);

        public Params {
            if (!NO_RAMP.equals(ramp)) {
                try {
                    Ramps.Ramp.named(ramp);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("ramp: " + e.getMessage() + " or '" + NO_RAMP + "'");
                }
            }
            if (!(start >= 0 && start < 1)) {
                throw new IllegalArgumentException("start must be in [0, 1) (0 = 1/C), got " + start);
            }
            if (!(end > 0 && end <= 1)) {
                throw new IllegalArgumentException("end must be in (0, 1], got " + end);
            }
            if (!(rampFraction >= 0 && rampFraction <= 1)) {
                throw new IllegalArgumentException("rampFraction must be in [0, 1], got " + rampFraction);
            }
            if (minKept < 0) {
                throw new IllegalArgumentException("minKept must be >= 0, got " + minKept);
            }
            if (!(fixedThreshold > 0 && fixedThreshold <= 1)) {
                throw new IllegalArgumentException("fixedThreshold must be in (0, 1], got " + fixedThreshold);
            }
        }
    }

    public static SupervisedLossFactory<Params> factory() {
        return SupervisedLossFactory.of(Params.class, Params.DEFAULTS,
                "annealed bootstrapped CE (CCT's abCE): CE on the pixels whose ground-truth probability is below "
                        + "a threshold ramped from 1/C to 0.9, 255 ignored",
                (params, context) -> new AbceLoss(params, context.numClasses()));
    }

    private final Params params;
    private final int numClasses;
    private final Ramps.Ramp ramp;
    private final double start;

    public AbceLoss(Params params, int numClasses) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("abce needs at least 2 classes, got " + numClasses);
        }
        this.params = params;
        this.numClasses = numClasses;
        this.ramp = Params.NO_RAMP.equals(params.ramp()) ? null : Ramps.Ramp.named(params.ramp());
        this.start = params.start() == 0 ? 1.0 / numClasses : params.start();
        if (ramp != null && start >= params.end()) {
            throw new IllegalArgumentException("abce: start " + start + " must be below end " + params.end());
        }
    }

    /** η(t), before the min-kept floor: the reference's {@code threshold(curr_iter, epoch)}. */
    public double threshold(TrainingClock clock) {
        if (ramp == null) {
            return params.fixedThreshold();
        }
        double length = params.rampFraction() * clock.totalIterations();
        return ramp.at(clock.iteration(), length) * (params.end() - start) + start;
    }

    @Override
    public NDArray compute(NDArray logits, NDArray labels, TrainingClock clock) {
        Shape s = logits.getShape();
        NDArray valid = labels.neq(LabelMask.IGNORE);
        NDArray oneHot = PixelLabels.oneHot(labels, numClasses).toType(logits.getDataType(), false);
        NDArray nll = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg();

        // The selection is a host-side sort, as in the reference; p_gt from softmax, as the reference gathers it.
        float[] pGt = logits.stopGradient().softmax(1).mul(oneHot).sum(new int[] {1}).toFloatArray();
        boolean[] isValid = valid.toBooleanArray();
        float[] sorted = new float[pGt.length];
        int n = 0;
        for (int i = 0; i < pGt.length; i++) {
            if (isValid[i]) {
                sorted[n++] = pGt[i];
            }
        }
        Arrays.sort(sorted, 0, n);
        double floor = n > 0 ? sorted[(int) Math.min((long) params.minKept() * s.get(0), n - 1)] : 0.0;
        // compared in float32, as PyTorch compares a float tensor with a Python float
        float threshold = (float) Math.max(floor, threshold(clock));
        float[] selected = new float[pGt.length];
        int count = 0;
        for (int i = 0; i < pGt.length; i++) {
            if (isValid[i] && pGt[i] < threshold) {
                selected[i] = 1f;
                count++;
            }
        }
        NDArray mask = logits.getManager().create(selected, nll.getShape());
        // mean over the selected pixels; none selected gives 0 (the reference's sum of an empty tensor)
        return ScalarOps.div(nll.mul(mask).sum(), Math.max(count, 1));
    }
}
