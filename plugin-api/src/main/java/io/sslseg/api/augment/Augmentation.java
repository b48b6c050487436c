package io.sslseg.api.augment;

/**
 * An image augmentation that a method draws its own views with (FixMatch's strong view, CutMix), registered under
 * {@link io.sslseg.api.Components#AUGMENTATION}. Two shapes: a {@link PixelAugmentation} changes one image's
 * pixels (colour jitter, grayscale, blur), a {@link BatchMix} mixes the images of a batch (CutMix) together with
 * whatever per-pixel targets go with them. Both draw only from the generator they are given, which the method
 * seeds from the step ({@link io.sslseg.api.method.StepContext#seed}), so a resumed run draws the same views.
 */
public sealed interface Augmentation permits PixelAugmentation, BatchMix {}
