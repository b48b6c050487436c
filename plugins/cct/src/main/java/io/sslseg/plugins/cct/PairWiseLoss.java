package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * CCT's pair-wise loss (supplementary material, {@code aux_constraint}): the variance of the auxiliary
 * decoders' softmax outputs across decoders, summed over classes and averaged over pixels. The reference
 * shuffles the outputs and keeps 8; the caller picks the subset here (the value does not depend on order).
 * In the reference it is added after the total loss is formed, so it is logged but never trained (cct.md 2.3).
 */
public final class PairWiseLoss {
    private PairWiseLoss() {}

    /** @param auxLogits K arrays N x C x H x W, K >= 1 */
    public static NDArray compute(List<NDArray> auxLogits) {
        if (auxLogits.isEmpty()) {
            throw new IllegalArgumentException("pair-wise loss needs at least one auxiliary output");
        }
        NDList probs = new NDList();
        auxLogits.forEach(a -> probs.add(a.softmax(1)));
        NDArray stacked = NDArrays.stack(probs); // K x N x C x H x W
        NDArray deviation = stacked.sub(stacked.mean(new int[] {0}, true));
        NDArray variance = deviation.square().mean(new int[] {0}); // population variance, as torch's mean(0)
        return variance.sum(new int[] {1}).mean();
    }
}
