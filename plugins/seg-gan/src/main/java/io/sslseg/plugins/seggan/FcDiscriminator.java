package io.sslseg.plugins.seggan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import io.sslseg.api.nn.CompositeBlock;
import io.sslseg.api.nn.Layers;
import java.util.function.UnaryOperator;

/**
 * AdvSemiSeg's fully-convolutional discriminator: four 4x4 stride-2 convolutions (padding 1,
 * with bias, LeakyReLU 0.2 after each) from C class probabilities to ndf, 2ndf, 4ndf, 8ndf channels, then a
 * classifier to one logit per cell; no normalisation, no sigmoid. The classifier is the reference's 4x4 stride 2
 * ({@code classifierStride} 2, total stride 32) or a 3x3 stride 1 padding 1 one ({@code classifierStride} 1, total
 * stride 16, for small crops). The logit map is resized bilinearly back to the input's H x W
 * with {@code align_corners=True}, as the reference's {@code nn.Upsample} on torch >= 0.4: the output is
 * N x 1 x H x W, one logit per input pixel.
 *
 * <p>Initialisation is PyTorch's default for {@code nn.Conv2d} (the reference sets none): weights and biases
 * uniform in +-1/sqrt(fan_in).
 */
public final class FcDiscriminator extends CompositeBlock {
    private static final float SLOPE = 0.2f;
    private final SequentialBlock body = new SequentialBlock();
    private final int numClasses;
    private final int classifierStride;

    /**
     * @param numClasses C, the input channels
     * @param ndf the first conv's width (the reference 64; sslseg's default 32)
     * @param classifierStride 2 (reference 4x4 stride 2) or 1 (3x3 stride 1 padding 1)
     */
    public FcDiscriminator(int numClasses, int ndf, int classifierStride) {
        if (numClasses < 1 || ndf < 1) {
            throw new IllegalArgumentException("numClasses and ndf must be >= 1, got " + numClasses + ", " + ndf);
        }
        if (classifierStride != 1 && classifierStride != 2) {
            throw new IllegalArgumentException("classifierStride must be 1 or 2, got " + classifierStride);
        }
        this.numClasses = numClasses;
        this.classifierStride = classifierStride;
        int in = numClasses;
        for (int k = 0; k < 4; k++) {
            int out = ndf << k;
            body.add(conv(out, 4, 2, in));
            body.add(Layers.function(x -> Activation.leakyRelu(x, SLOPE), UnaryOperator.identity()));
            in = out;
        }
        body.add(classifierStride == 2 ? conv(1, 4, 2, in) : conv(1, 3, 1, in));
        addChildBlock("body", body);
    }

    /** A conv with bias and padding 1 (the reference's for both kernel sizes), PyTorch's default init. */
    private static Conv2d conv(int filters, int kernel, int stride, int inChannels) {
        // its first conv reads C = 11 class channels, a count libtorch 2.7.1 mis-convolves here unless the input is
        // channels-last (Layers.conv2d(Builder))
        Conv2d c = Layers.conv2d(Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1))
                .optBias(true));
        c.setInitializer(Layers.TORCH_DEFAULT_CONV, Parameter.Type.WEIGHT);
        c.setInitializer(new UniformInitializer((float) (1.0 / Math.sqrt((double) inChannels * kernel * kernel))),
                Parameter.Type.BIAS);
        return c;
    }

    public int numClasses() {
        return numClasses;
    }

    /** The convolutions alone, without the final resize (their output is the raw N x 1 x h x w logit map). */
    public Block body() {
        return body;
    }

    /**
     * The smallest square input the five convolutions keep at least one cell of: 32 with the stride-2
     * classifier (32 -> 16, 8, 4, 2, 1), 16 with the stride-1 one (16 -> 8, 4, 2, 1, 1).
     */
    public int minInputSize() {
        return classifierStride == 2 ? 32 : 16;
    }

    @Override
    protected Shape[] traceShapes(ShapeTrace trace, Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 4 || in.get(1) != numClasses) {
            throw new IllegalArgumentException("the discriminator takes N x " + numClasses + " x H x W class"
                    + " probabilities, got " + in);
        }
        if (in.get(2) < minInputSize() || in.get(3) < minInputSize()) {
            throw new IllegalArgumentException("the discriminator needs inputs of at least " + minInputSize() + "x"
                    + minInputSize() + " with classifierStride " + classifierStride + " (its convolutions would"
                    + " leave no cell), got " + in.get(2) + "x" + in.get(3)
                    + (classifierStride == 2 ? "; use classifierStride 1 for small crops" : ""));
        }
        trace.through(body, in);
        return new Shape[] {new Shape(in.get(0), 1, in.get(2), in.get(3))};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray raw = apply(body, ps, x, training, params);
        Shape s = x.getShape();
        return new NDList(resizeAlignCorners(raw, (int) s.get(2), (int) s.get(3)));
    }

    /**
     * Bilinear resize of N x C x h x w to N x C x outH x outW with {@code align_corners=True}: output i samples the
     * input at {@code i * (in - 1) / (out - 1)}, so the corner cells map onto the corner pixels. Differentiable (two
     * constant matrices, {@code A_h · x · A_wᵀ}); the identity when the size already matches.
     */
    public static NDArray resizeAlignCorners(NDArray x, int outH, int outW) {
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("expected N x C x H x W, got " + s);
        }
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        if (h == outH && w == outW) {
            return x;
        }
        NDManager m = x.getManager();
        NDArray rows = m.create(alignCornersMatrix(h, outH), new Shape(outH, h));
        NDArray colsT = m.create(alignCornersMatrix(w, outW), new Shape(outW, w)).transpose();
        // x first so that the result lands in x's (the step's) manager; matMul broadcasts over N and C
        NDArray narrowed = x.matMul(colsT);
        return rows.matMul(narrowed);
    }

    /** Row i holds the weights of output i over the {@code in} inputs, align_corners=True; out x in, row-major. */
    static float[] alignCornersMatrix(int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("sizes must be positive, got " + in + " -> " + out);
        }
        float[] m = new float[out * in];
        double scale = out > 1 ? (double) (in - 1) / (out - 1) : 0.0;
        for (int i = 0; i < out; i++) {
            double src = i * scale;
            int i0 = Math.min((int) Math.floor(src), in - 1);
            int i1 = Math.min(i0 + 1, in - 1);
            double frac = src - i0;
            m[i * in + i0] += (float) (1 - frac);
            m[i * in + i1] += (float) frac;
        }
        return m;
    }
}
