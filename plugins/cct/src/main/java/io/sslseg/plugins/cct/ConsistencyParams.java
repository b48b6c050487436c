package io.sslseg.plugins.cct;

/**
 * Parameters of the consistency losses {@code mse}, {@code kl} and {@code js}.
 *
 * @param confidenceMasking count only the pixels where the target's largest probability exceeds
 *     {@code confidenceThreshold} (CCT's {@code confidence_masking}, supplementary material)
 * @param confidenceThreshold CCT's {@code confidence_th}
 */
public record ConsistencyParams(boolean confidenceMasking, double confidenceThreshold) {
    public static final ConsistencyParams DEFAULTS = new ConsistencyParams(false, 0.5);

    public ConsistencyParams {
        if (!(confidenceThreshold >= 0 && confidenceThreshold < 1)) {
            throw new IllegalArgumentException("confidenceThreshold must be in [0, 1), got " + confidenceThreshold);
        }
    }
}
