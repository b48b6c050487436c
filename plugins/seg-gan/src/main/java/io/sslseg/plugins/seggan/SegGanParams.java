package io.sslseg.plugins.seggan;

/**
 * The AdvSemiSeg term (Hung et al., BMVC 2018). Defaults follow the README command of the
 * reference and a small-input adaptation (FcDiscriminator: stride 16 for small crops).
 *
 * @param ndf the discriminator's first width; its convs have ndf, 2ndf, 4ndf, 8ndf channels (reference 64,
 *     default 32: 698,337 parameters with 11 classes)
 * @param classifierStride 2: the reference's 4x4 stride-2 classifier (total stride 32, crops of at least 32 px);
 *     1: a 3x3 stride-1 classifier (total stride 16, crops of at least 16 px; a 64 px crop ends at 4x4, not 2x2)
 * @param lambdaAdv weight of the adversarial loss on labelled predictions, BCE(D(softmax(P_l)), 1) over the
 *     pixels not labelled 255 (the reference's README command: 0.01; its code default 0.1)
 * @param lambdaSemiAdv weight of the adversarial loss on the extra split's predictions, BCE(D(softmax(P_u)), 1)
 *     over all pixels (reference 0.001)
 * @param lambdaSemi weight of the self-training loss: CE of the extra split's predictions against their own
 *     argmax where D's confidence sigmoid(D) reaches {@code maskT} (reference 0.1; 0 turns it off)
 * @param maskT the confidence threshold T_semi in [0, 1] (reference 0.2)
 * @param advStart fraction of the run's iterations before which the term is off: no adversarial losses, no
 *     self-training, and D does not train (G learns from the supervised loss alone). The reference starts at 0
 *     from a COCO-pretrained network and does not converge from scratch (its issues #4 and #5, where ~1000
 *     supervised iterations first are advised): use advStart > 0 when training from scratch, 0 when continuing
 *     from a trained checkpoint (initFrom)
 * @param semiStart fraction of the run's iterations at which self-training starts (reference 5000 of 20000 =
 *     0.25); with lambdaSemi > 0 it may not precede advStart, since it reads the confidence of a trained D
 * @param dLr the discriminator's Adam learning rate before its poly decay (reference 1e-4)
 * @param dBeta1 Adam beta1 (reference 0.9)
 * @param dBeta2 Adam beta2 (reference 0.99)
 * @param dPolyPower the power of D's schedule, lr = dLr * (1 - it / iterations)^power (reference 0.9)
 * @param split the extra split that plays the unlabelled role: {@code unlabeled}, or {@code weak} (images with
 *     tags, which the platform turns into pixel pseudo-labels before training)
 * @param weakWeight "+WSL": with split weak and a weight > 0, adds weakWeight * CE(P_w, pseudo-labels) on the weak
 *     batch (255 = unsure, ignored); 0 = off
 * @param collapseThreshold a D loss below this for {@code collapseSteps} consecutive steps is logged as a warning
 *     (the reference's healthy range is 0.2-0.5, its issue #39)
 * @param collapseSteps see collapseThreshold
 */
public record SegGanParams(int ndf, int classifierStride, double lambdaAdv, double lambdaSemiAdv, double lambdaSemi,
        double maskT, double advStart, double semiStart, double dLr, double dBeta1, double dBeta2, double dPolyPower,
        String split, double weakWeight, double collapseThreshold, int collapseSteps) {

    public SegGanParams {
        if (ndf < 1 || ndf > 4096) {
            throw new IllegalArgumentException("ndf must be in 1..4096, got " + ndf);
        }
        if (classifierStride != 1 && classifierStride != 2) {
            throw new IllegalArgumentException("classifierStride must be 2 (the reference's 4x4 stride-2 classifier)"
                    + " or 1 (3x3 stride 1, for small crops), got " + classifierStride);
        }
        nonNegative("lambdaAdv", lambdaAdv);
        nonNegative("lambdaSemiAdv", lambdaSemiAdv);
        nonNegative("lambdaSemi", lambdaSemi);
        if (!(maskT >= 0 && maskT <= 1)) {
            throw new IllegalArgumentException("maskT must be in [0, 1] (a threshold on the discriminator's sigmoid"
                    + " confidence), got " + maskT);
        }
        fraction("advStart", advStart);
        fraction("semiStart", semiStart);
        if (lambdaSemi > 0 && semiStart < advStart) {
            throw new IllegalArgumentException("semiStart (" + semiStart + ") must not precede advStart (" + advStart
                    + "): self-training reads the confidence of a discriminator that trains only from advStart on;"
                    + " raise semiStart or set lambdaSemi: 0");
        }
        if (!(dLr > 0) || Double.isInfinite(dLr)) {
            throw new IllegalArgumentException("dLr must be > 0, got " + dLr);
        }
        if (!(dBeta1 >= 0 && dBeta1 < 1)) {
            throw new IllegalArgumentException("dBeta1 must be in [0, 1), got " + dBeta1);
        }
        if (!(dBeta2 >= 0 && dBeta2 < 1)) {
            throw new IllegalArgumentException("dBeta2 must be in [0, 1), got " + dBeta2);
        }
        nonNegative("dPolyPower", dPolyPower);
        if (!"unlabeled".equals(split) && !"weak".equals(split)) {
            throw new IllegalArgumentException("split must be 'unlabeled' or 'weak', got '" + split + "'");
        }
        nonNegative("weakWeight", weakWeight);
        if (weakWeight > 0 && !"weak".equals(split)) {
            throw new IllegalArgumentException("weakWeight is " + weakWeight + " but split is '" + split + "': the +WSL"
                    + " loss trains on the weak split's pseudo-labels; set split: weak, or weakWeight: 0");
        }
        nonNegative("collapseThreshold", collapseThreshold);
        if (collapseSteps < 1) {
            throw new IllegalArgumentException("collapseSteps must be >= 1, got " + collapseSteps);
        }
    }

    public static SegGanParams defaults() {
        return new SegGanParams(32, 2, 0.01, 0.001, 0.1, 0.2, 0.0, 0.25, 1e-4, 0.9, 0.99, 0.9, "unlabeled", 0.0,
                0.05, 50);
    }

    private static void nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + v);
        }
    }

    private static void fraction(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be a fraction of the run's iterations in [0, 1], got " + v);
        }
    }
}
