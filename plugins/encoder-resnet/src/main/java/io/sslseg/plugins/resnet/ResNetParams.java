package io.sslseg.plugins.resnet;

/**
 * Parameters of {@code resnet18/34/50}.
 *
 * @param width base width: stage widths are width x (1, 2, 4, 8) (torchvision: 64); bottleneck stages output
 *     4x that. The default 32 gives a ~2.8M-parameter ResNet-18 for 64x64 inputs on CPU.
 * @param outputStride 8, 16 or 32: the last stages trade stride for dilation (torchvision's rule)
 * @param deepStem three 3x3 convs (width, width, 2 x width) instead of the 7x7 conv, as in CCT's backbone
 * @param lightStem one 3x3 stride-2 conv and no max-pool: the stem keeps twice the resolution (stride 2),
 *     so small inputs (64x64) keep detail in the early stages ("light stem")
 * @param lightStemStride the light stem's stride: 2, or 1 to keep the input's resolution in layer1 (the strides
 *     are then 1, 2, 4, 8 without dilation at output stride 8: a U-Net's pyramid, for the {@code unet} decoder)
 * @param weights a DJL parameter file for exactly this configuration (null: random init)
 */
public record ResNetParams(
        int width, int outputStride, boolean deepStem, boolean lightStem, int lightStemStride, String weights) {
    public static final ResNetParams DEFAULTS = new ResNetParams(32, 8, false, false, 2, null);

    /** The torchvision-style stems only. */
    public ResNetParams(int width, int outputStride, boolean deepStem, String weights) {
        this(width, outputStride, deepStem, false, 2, weights);
    }

    public ResNetParams {
        if (deepStem && lightStem) {
            throw new IllegalArgumentException("deepStem and lightStem exclude each other; choose one");
        }
        if (lightStemStride != 1 && lightStemStride != 2) {
            throw new IllegalArgumentException("lightStemStride must be 1 or 2, got " + lightStemStride);
        }
        if (lightStemStride != 2 && !lightStem) {
            throw new IllegalArgumentException("lightStemStride applies to the light stem only; set lightStem: true");
        }
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        if (outputStride != 8 && outputStride != 16 && outputStride != 32) {
            throw new IllegalArgumentException("outputStride must be 8, 16 or 32, got " + outputStride);
        }
        if (weights != null && weights.isBlank()) {
            weights = null;
        }
    }
}
