package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import io.sslseg.api.nn.CompositeBlock;
import io.sslseg.api.onnx.OnnxGraph;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.nn.SpatialOps;
import java.util.ArrayList;
import java.util.List;

/**
 * CCT's {@code upsample} decoder: a 1x1 conv to C classes (no bias), then log2(upscale) times a
 * 1x1 conv C -> 4C (with bias, ICNR init), ReLU and PixelShuffle(2). The main decoder and every auxiliary
 * decoder are one of these, each with its own weights, all reading the PSP output z.
 *
 * <p>The reference also applies the ReLU in the last step, so all its logits are >= 0; {@code reluBeforeShuffle}
 * keeps that quirk (true) or drops only that last ReLU (false). Earlier steps always keep theirs.
 *
 * <p>sslseg's option {@code hiddenWidth} (0 = the reference) upsamples W channels instead of C and ends with
 * a 1x1 conv W -> C at full resolution. From scratch on small images the C-channel path (11 channels through
 * ReLUs) is too narrow to fit even 50 training images; W = 32 keeps the pixel-shuffle design and fits.
 */
public final class UpsampleHead extends CompositeBlock implements OnnxExportable {
    private static final int STEP = 2;

    private final Block classifier;
    private final List<Block> steps = new ArrayList<>();
    private final Block toClasses;
    private final boolean reluBeforeShuffle;

    /** The reference head. @param upscale a power of two: the stride of z relative to the image */
    public UpsampleHead(int numClasses, int upscale, boolean reluBeforeShuffle) {
        this(numClasses, upscale, reluBeforeShuffle, 0);
    }

    /** @param hiddenWidth channels carried through the upsampling steps; 0 = numClasses, as in the reference */
    public UpsampleHead(int numClasses, int upscale, boolean reluBeforeShuffle, int hiddenWidth) {
        if (upscale < 1 || Integer.bitCount(upscale) != 1) {
            throw new IllegalArgumentException("the upsampling decoder needs a power-of-two stride, got " + upscale);
        }
        if (hiddenWidth < 0) {
            throw new IllegalArgumentException("hiddenWidth must be >= 0, got " + hiddenWidth);
        }
        this.reluBeforeShuffle = reluBeforeShuffle;
        int width = hiddenWidth == 0 ? numClasses : hiddenWidth;
        Conv2d first = Layers.conv2d(width, 1, 1, 1, false);
        first.setInitializer(Layers.KAIMING_NORMAL_FAN_IN, Parameter.Type.WEIGHT);
        classifier = addChildBlock("classifier", first);
        // PyTorch's default conv bias: U(+-1/sqrt(fan_in)), fan_in = width for a 1x1 conv.
        UniformInitializer bias = new UniformInitializer((float) (1 / Math.sqrt(width)));
        for (int i = 0; i < Integer.numberOfTrailingZeros(upscale); i++) {
            Conv2d conv = Layers.conv2d(width * STEP * STEP, 1, 1, 1, true);
            conv.setInitializer(new Icnr(STEP), Parameter.Type.WEIGHT);
            conv.setInitializer(bias, Parameter.Type.BIAS);
            steps.add(addChildBlock("shuffle" + (i + 1), conv));
        }
        if (hiddenWidth == 0) {
            toClasses = null;
        } else {
            Conv2d last = Layers.conv2d(numClasses, 1, 1, 1, true);
            last.setInitializer(Layers.TORCH_DEFAULT_CONV, Parameter.Type.WEIGHT);
            last.setInitializer(bias, Parameter.Type.BIAS);
            toClasses = addChildBlock("to_classes", last);
        }
    }

    @Override
    protected Shape[] traceShapes(ShapeTrace trace, Shape[] in) {
        Shape x = trace.through(classifier, in[0]);
        for (Block step : steps) {
            x = SpatialOps.pixelShuffleShape(trace.through(step, x), STEP);
        }
        if (toClasses != null) {
            x = trace.through(toClasses, x);
        }
        return new Shape[] {x};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = apply(classifier, ps, inputs.singletonOrThrow(), training, params);
        for (int i = 0; i < steps.size(); i++) {
            x = apply(steps.get(i), ps, x, training, params);
            if (reluBeforeShuffle || i < steps.size() - 1 || toClasses != null) {
                x = Activation.relu(x);
            }
            x = SpatialOps.pixelShuffle(x, STEP);
        }
        if (toClasses != null) {
            x = apply(toClasses, ps, x, training, params);
        }
        return new NDList(x);
    }

    @Override
    public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
        OnnxGraph.Value x = graph.export("classifier", classifier, inputs.get(0));
        for (int i = 0; i < steps.size(); i++) {
            x = graph.export("shuffle" + (i + 1), steps.get(i), x);
            if (reluBeforeShuffle || i < steps.size() - 1 || toClasses != null) {
                x = graph.relu(x);
            }
            x = graph.pixelShuffle(x, STEP);
        }
        if (toClasses != null) {
            x = graph.export("to_classes", toClasses, x);
        }
        return List.of(x);
    }
}
