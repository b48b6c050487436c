package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.inject.Module;
import io.sslseg.api.Components;
import io.sslseg.api.augment.Augmentation;
import io.sslseg.api.augment.AugmentationContext;
import io.sslseg.api.augment.AugmentationFactory;
import io.sslseg.api.augment.BatchMix;
import io.sslseg.api.augment.Mix;
import io.sslseg.api.augment.PixelAugmentation;
import io.sslseg.api.data.SplitMix64;
import io.sslseg.platform.config.ParamBinder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The augmentation contract, run over every augmentation a plugin registers, with its defaults and, where it has a
 * {@code probability} parameter, that probability at 1 (so every draw does something):
 * <ul>
 *   <li>pixel augmentations: values stay in [0, 1]; the same generator state gives the same image; other seeds give
 *       other images; only the image at the given offset is touched;</li>
 *   <li>batch mixes: partners in range, a 0/1 region, the same draw for the same seed, and images and label maps
 *       mixed consistently (where a label came from the partner, so did the pixel).</li>
 * </ul>
 *
 * <pre>{@code @TestFactory Stream<DynamicTest> contract() { return AugmentationContract.forAll(new MyModule()); }}</pre>
 */
public final class AugmentationContract {
    private static final int N = 4;
    private static final int H = 12;
    private static final int W = 16;

    private AugmentationContract() {}

    public static Stream<DynamicTest> forAll(Module module) {
        return Registered.components(module, Components.AUGMENTATION).entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), create(e.getValue()))));
    }

    public static void check(String name, Augmentation a) {
        if (a instanceof PixelAugmentation p) {
            checkPixels(name, p);
        } else if (a instanceof BatchMix m) {
            checkMix(name, m);
        }
    }

    private static void checkPixels(String name, PixelAugmentation a) {
        int plane = H * W;
        float[] original = randomImages(2, 11);
        float[] first = original.clone();
        a.apply(first, 3 * plane, H, W, SplitMix64.of(5));
        assertArrayEquals(Arrays.copyOf(original, 3 * plane), Arrays.copyOf(first, 3 * plane),
                name + ": touched pixels outside its image");
        for (float v : first) {
            assertTrue(v >= 0f && v <= 1f, name + ": produced " + v + ", outside [0, 1]");
        }
        float[] again = original.clone();
        a.apply(again, 3 * plane, H, W, SplitMix64.of(5));
        assertArrayEquals(first, again, name + ": the same seed gave another image");
        boolean changed = false;
        for (long seed = 0; seed < 20 && !changed; seed++) {
            float[] other = original.clone();
            a.apply(other, 3 * plane, H, W, SplitMix64.of(seed));
            changed = !Arrays.equals(other, original);
        }
        assertTrue(changed, name + ": left the image unchanged for 20 seeds at probability 1");
    }

    private static void checkMix(String name, BatchMix a) {
        Mix mix = a.draw(N, H, W, SplitMix64.of(9));
        Mix again = a.draw(N, H, W, SplitMix64.of(9));
        assertArrayEquals(mix.partner(), again.partner(), name + ": the same seed gave other partners");
        assertArrayEquals(mix.region(), again.region(), name + ": the same seed gave other regions");
        for (byte b : mix.region()) {
            assertTrue(b == 0 || b == 1, name + ": region values must be 0 or 1");
        }
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // image i is filled with i + 1 in every channel, label map i with i: both must say who owns each pixel
            float[] pixels = new float[N * 3 * H * W];
            long[] labels = new long[N * H * W];
            for (int i = 0; i < N; i++) {
                Arrays.fill(pixels, i * 3 * H * W, (i + 1) * 3 * H * W, i + 1);
                Arrays.fill(labels, i * H * W, (i + 1) * H * W, i);
            }
            float[] mixedPixels = mix.apply(m.create(pixels, new Shape(N, 3, H, W))).toFloatArray();
            long[] mixedLabels = mix.apply(m.create(labels, new Shape(N, H, W))).toType(DataType.INT64, false)
                    .toLongArray();
            int[] partner = mix.partner();
            byte[] region = mix.region();
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < H * W; k++) {
                    int owner = region[i * H * W + k] == 1 ? partner[i] : i;
                    assertEquals(owner, mixedLabels[i * H * W + k], name + ": label of sample " + i + " pixel " + k);
                    for (int c = 0; c < 3; c++) {
                        assertEquals(owner + 1, mixedPixels[(i * 3 + c) * H * W + k], name + ": pixel of sample " + i);
                    }
                }
            }
        }
    }

    private static float[] randomImages(int n, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        float[] out = new float[n * 3 * H * W];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) rng.nextDouble();
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static <P extends Record> Augmentation create(AugmentationFactory<P> factory) {
        Map<String, Object> block = new LinkedHashMap<>();
        boolean hasProbability = Arrays.stream(factory.paramsType().getRecordComponents())
                .anyMatch(c -> c.getName().equals("probability"));
        if (hasProbability) {
            block.put("probability", 1.0);
        }
        P params = new ParamBinder().bind(factory.paramsType(), factory.defaults(), block, "augmentation");
        return factory.create(params, AugmentationContext.of(3));
    }
}
