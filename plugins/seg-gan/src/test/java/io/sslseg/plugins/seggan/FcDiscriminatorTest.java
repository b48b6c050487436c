package io.sslseg.plugins.seggan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.sslseg.api.nn.Layers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The discriminator's topology, sizes, initialisation and the align-corners resize of its logits. */
class FcDiscriminatorTest {

    private static FcDiscriminator built(NDManager m, int classes, int ndf, int stride, int size) {
        FcDiscriminator d = new FcDiscriminator(classes, ndf, stride);
        d.initialize(m, DataType.FLOAT32, new Shape(1, classes, size, size));
        return d;
    }

    /** Raw logit map after the five convs, and the resized output, for both classifiers and two crop sizes. */
    @ParameterizedTest
    @CsvSource({"2, 64, 2", "2, 32, 1", "1, 64, 4", "1, 32, 2"})
    void outputIsOneLogitPerInputPixel(int stride, int size, int raw) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            FcDiscriminator d = built(m, 11, 8, stride, size);
            NDArray x = m.randomUniform(0, 1, new Shape(3, 11, size, size)).softmax(1);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray body = d.body().forward(ps, new NDList(x), false).head();
            assertEquals(new Shape(3, 1, raw, raw), body.getShape(), "the five convs end at " + raw + "x" + raw);
            NDArray out = d.forward(ps, new NDList(x), false).head();
            assertEquals(new Shape(3, 1, size, size), out.getShape());
            assertEquals(new Shape(3, 1, size, size), d.getOutputShapes(new Shape[] {x.getShape()})[0]);
            // the corners of the resized map are the corner cells (align_corners=True)
            assertEquals(body.getFloat(1, 0, 0, 0), out.getFloat(1, 0, 0, 0), 1e-6);
            assertEquals(body.getFloat(2, 0, raw - 1, raw - 1), out.getFloat(2, 0, size - 1, size - 1), 1e-6);
        }
    }

    /**
     * C = 11, ndf = 32, 4x4 kernels, each conv with a bias (weights in*out*16 + out):
     * conv1 11*32*16 + 32 = 5,664; conv2 32*64*16 + 64 = 32,832; conv3 64*128*16 + 128 = 131,200;
     * conv4 128*256*16 + 256 = 524,544; classifier 256*1*16 + 1 = 4,097; total 698,337.
     * The 3x3 classifier has 256*9 + 1 = 2,305 instead: 696,545. With ndf 64 and C = 11: 2,772,929 (1.2).
     */
    @Test
    void parameterCountsMatchTheReferenceArithmetic() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            assertEquals(698_337, Layers.trainableParameterCount(built(m, 11, 32, 2, 64)));
            assertEquals(696_545, Layers.trainableParameterCount(built(m, 11, 32, 1, 64)));
            assertEquals(2_772_929, Layers.trainableParameterCount(built(m, 11, 64, 2, 64)));
            assertEquals(2_783_169, Layers.trainableParameterCount(built(m, 21, 64, 2, 64)));
        }
    }

    /** PyTorch's Conv2d default: weights and biases uniform in +-1/sqrt(fan_in), biases not zero. */
    @Test
    void initialisationIsPyTorchsConvDefault() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            FcDiscriminator d = built(m, 11, 32, 2, 64);
            int[] fanIn = {11 * 16, 32 * 16, 64 * 16, 128 * 16, 256 * 16};
            int k = 0;
            for (var e : d.getParameters()) {
                Parameter q = e.getValue();
                double bound = 1 / Math.sqrt(fanIn[k / 2]);
                NDArray a = q.getArray();
                double max = a.abs().max().getFloat();
                assertTrue(max <= bound + 1e-6, e.getKey() + ": |x| " + max + " > " + bound);
                if (a.size() > 100) {
                    // uniform: the largest of many draws comes close to the bound
                    assertTrue(max > 0.9 * bound, e.getKey() + ": max " + max + " far below " + bound);
                }
                assertTrue(max > 0, e.getKey() + " is all zero");
                k++;
            }
            assertEquals(10, k, "5 convs with weight and bias");
        }
    }

    @Test
    void tooSmallInputsAreRefusedWithAHint() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> built(m, 3, 8, 2, 16));
            assertTrue(e.getMessage().contains("at least 32x32") && e.getMessage().contains("classifierStride 1"),
                    e.getMessage());
            assertEquals(new Shape(1, 1, 16, 16), built(m, 3, 8, 1, 16).getOutputShapes(
                    new Shape[] {new Shape(1, 3, 16, 16)})[0]);
            assertThrows(IllegalArgumentException.class, () -> new FcDiscriminator(3, 8, 3));
        }
    }

    /** torch: F.interpolate(x, size=(4, 4), mode='bilinear', align_corners=True) of [[0, 1], [2, 3]]. */
    @Test
    void resizeMatchesTorchAlignCorners() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = m.create(new float[] {0, 1, 2, 3}, new Shape(1, 1, 2, 2));
            NDArray y = FcDiscriminator.resizeAlignCorners(x, 4, 4);
            float t = 1f / 3, u = 2f / 3;
            float[] expected = {
                0, t, u, 1,
                u, 1, 4 * t, 5 * t,
                4 * t, 5 * t, 2, 7 * t,
                2, 7 * t, 8 * t, 3};
            assertArrayEquals(expected, y.toFloatArray(), 1e-6f);
            // 1 x 1 -> constant
            assertArrayEquals(new float[] {5, 5, 5, 5}, FcDiscriminator.resizeAlignCorners(
                    m.create(new float[] {5}, new Shape(1, 1, 1, 1)), 2, 2).toFloatArray(), 0f);
            // 3 -> 5: output i samples input i / 2 (rows of 3 weights)
            assertArrayEquals(new float[] {1, 0, 0, 0.5f, 0.5f, 0, 0, 1, 0, 0, 0.5f, 0.5f, 0, 0, 1},
                    FcDiscriminator.alignCornersMatrix(3, 5), 0f);
        }
    }
}
