package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import io.sslseg.api.nn.Layers;

/**
 * ICNR init for a conv that feeds a pixel shuffle (Aitken et al. 2017, as in CCT): draw
 * {@code S ~ kaiming_normal} with {@code C_out / r²} output channels, then {@code W[r²j + k] = S[j]}, so the
 * r² sub-pixel channels that form one output channel start identical: apart from the biases, the shuffle
 * starts as a nearest-neighbour upsampling (no checkerboard artefacts).
 */
final class Icnr implements Initializer {
    private final int subPixels;

    Icnr(int upscale) {
        this.subPixels = upscale * upscale;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        long groups = shape.get(0) / subPixels;
        if (groups * subPixels != shape.get(0)) {
            throw new IllegalArgumentException("ICNR: " + shape.get(0) + " output channels are not a multiple of " + subPixels);
        }
        Shape rest = shape.slice(1);
        // The same fan-in as W (C_in * k * k), hence the same std as kaiming on W: sqrt(2 / fan_in).
        try (NDArray s = Layers.KAIMING_NORMAL_FAN_IN.initialize(manager, new Shape(groups).addAll(rest), dataType);
                NDArray repeated = s.expandDims(1).broadcast(new Shape(groups, subPixels).addAll(rest))) {
            return repeated.reshape(shape);
        }
    }
}
