package io.sslseg.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ImageNormalizationTest {
    private static final ImageNormalization N = ImageNormalization.IMAGENET;

    @Test
    void pixelsAndNormalisedImagesConvertBothWays() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] pixels = {0f, 1f, 0.5f, 0.25f, 1f, 0f};
            NDArray x = m.create(pixels, new Shape(1, 3, 1, 2));
            NDArray normalised = N.normalise(x);
            float[] n = normalised.toFloatArray();
            assertEquals((0f - 0.485f) / 0.229f, n[0], 1e-6);
            assertEquals((1f - 0.406f) / 0.225f, n[4], 1e-6);
            assertArrayEquals(pixels, N.toPixels(normalised).toFloatArray(), 1e-6f);
            float[] inPlace = pixels.clone();
            N.normaliseInPlace(inPlace, 0, 2);
            assertArrayEquals(n, inPlace, 1e-6f);
            assertEquals(N.normalise255(255f, 2), n[4], 1e-6);
        }
    }
}
