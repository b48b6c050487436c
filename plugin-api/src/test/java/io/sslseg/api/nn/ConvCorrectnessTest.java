package io.sslseg.api.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Layers' convs against a hand computation, on contiguous N x C x H x W input. libtorch 2.7.1 got 2x2 and 3x3 convs
 * with 10, 12 or 20 input channels wrong on this project's machine (Layers.conv2d(Builder) explains); these cases
 * failed before the channels-last input, and the others guard the counts the shipped models use.
 */
class ConvCorrectnessTest {
    @ParameterizedTest(name = "{0} in, kernel {1}, stride {2}, groups {3}, {4} px")
    @CsvSource({"10, 3, 1, 1, 8", "12, 3, 2, 1, 8", "20, 3, 1, 1, 8", "12, 2, 2, 1, 8", "11, 4, 2, 1, 8",
        "3, 3, 1, 1, 8", "8, 3, 2, 1, 8", "32, 3, 1, 1, 8", "12, 1, 1, 1, 8", "40, 7, 1, 40, 2", "40, 7, 1, 40, 4",
        "48, 7, 1, 48, 2", "64, 7, 1, 64, 2", "20, 7, 1, 20, 4", "20, 2, 2, 1, 4", "20, 2, 2, 1, 8", "12, 2, 2, 1, 4",
        "11, 4, 2, 1, 64", "11, 4, 2, 1, 32"})
    void matchesAHandComputation(int cin, int kernel, int stride, int groups, int hw) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            int cout = groups == 1 ? 2 * cin : cin;
            int pad = kernel / 2;
            Conv2d conv = Layers.conv2d(Conv2d.builder().setFilters(cout).setKernelShape(new Shape(kernel, kernel))
                    .optStride(new Shape(stride, stride)).optPadding(new Shape(pad, pad)).optGroups(groups).optBias(true));
            conv.initialize(m, DataType.FLOAT32, new Shape(2, cin, hw, hw));
            NDArray x = m.randomNormal(new Shape(2, cin, hw, hw));
            float[] out = conv.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow().toFloatArray();
            float[] in = x.toFloatArray();
            float[] w = conv.getParameters().get("weight").getArray().toFloatArray();
            float[] b = conv.getParameters().get("bias").getArray().toFloatArray();
            int oh = (hw + 2 * pad - kernel) / stride + 1;
            double worst = 0;
            for (int n = 0; n < 2; n++) {
                for (int o = 0; o < cout; o++) {
                    for (int y = 0; y < oh; y++) {
                        for (int xx = 0; xx < oh; xx++) {
                            double sum = b[o];
                            int perGroup = cin / groups;
                            int first = o / (cout / groups) * perGroup;
                            for (int c = first; c < first + perGroup; c++) {
                                for (int ky = 0; ky < kernel; ky++) {
                                    for (int kx = 0; kx < kernel; kx++) {
                                        int iy = stride * y - pad + ky;
                                        int ix = stride * xx - pad + kx;
                                        if (iy >= 0 && ix >= 0 && iy < hw && ix < hw) {
                                            sum += in[((n * cin + c) * hw + iy) * hw + ix]
                                                    * w[((o * perGroup + c - first) * kernel + ky) * kernel + kx];
                                        }
                                    }
                                }
                            }
                            worst = Math.max(worst, Math.abs(sum - out[((n * cout + o) * oh + y) * oh + xx]));
                        }
                    }
                }
            }
            assertTrue(worst < 1e-4, "conv " + cin + " -> " + cout + ", " + kernel + "x" + kernel + " stride " + stride
                    + ": off by up to " + worst);
        }
    }
}
