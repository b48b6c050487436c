package io.sslseg.api.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import io.sslseg.api.onnx.OnnxExportable;
import io.sslseg.api.onnx.OnnxGraph;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;

/** Layer shorthands with PyTorch's conventions, so ported models read like their references. */
public final class Layers {
    /** PyTorch's default conv weight init, kaiming-uniform with a=sqrt(5): U(+-1/sqrt(fan_in)). */
    public static final Initializer TORCH_DEFAULT_CONV = new XavierInitializer(
            XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 1);
    /** {@code kaiming_normal_(mode='fan_in', nonlinearity='relu')}: N(0, sqrt(2/fan_in)). DJL's WEIGHT default. */
    public static final Initializer KAIMING_NORMAL_FAN_IN = new XavierInitializer(
            XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2);
    /** {@code kaiming_normal_(mode='fan_out', nonlinearity='relu')}, torchvision's ResNet conv init. */
    public static final Initializer KAIMING_NORMAL_FAN_OUT = new XavierInitializer(
            XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2);

    private Layers() {}

    /** A square conv with PyTorch's "same" padding for odd kernels: {@code dilation * (kernel - 1) / 2}. */
    public static Conv2d conv2d(int filters, int kernel, int stride, int dilation, boolean bias) {
        int pad = dilation * (kernel - 1) / 2;
        return conv2d(Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad))
                .optDilation(new Shape(dilation, dilation))
                .optBias(bias));
    }

    /**
     * The conv a builder describes, safe from a libtorch 2.7.1 fault seen on this project's machine: some 2x2, 3x3
     * and 4x4 convs whose input channel count is above 8 and not a multiple of 8 (10, 11, 12, 20 among those tried)
     * returned wrong values, off by up to about 2.6 against a hand computation, with every oneDNN ISA, depending on
     * the layout and the spatial size too (docs/results.md, "A oneDNN fault on this machine"; ConvCorrectnessTest).
     * Counts that are multiples of 8 were always right. Such a conv therefore runs on its input and weight padded with
     * zero channels up to the next multiple of 8: the same function and gradients, at the cost of the extra channels.
     */
    public static Conv2d conv2d(Conv2d.Builder builder) {
        return new PaddedConvs.Conv2d(builder);
    }

    /** BatchNorm over channels with PyTorch's defaults: momentum 0.1 (DJL's 0.9 convention) and eps 1e-5. */
    public static BatchNorm batchNorm() {
        return BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build();
    }

    /** A ReLU block (DJL's is a LambdaBlock, which infers shapes by running zeros on the default engine). */
    public static Block relu() {
        return function(Activation::relu, UnaryOperator.identity(), OnnxGraph::relu);
    }

    /** PyTorch's {@code MaxPool2d(kernel, stride, padding)} (floor mode), as a block. */
    public static Block maxPool2d(int kernel, int stride, int padding) {
        Shape k = new Shape(kernel, kernel), s = new Shape(stride, stride), p = new Shape(padding, padding);
        return function(x -> Pool.maxPool2d(x, k, s, p, false), in -> new Shape(in.get(0), in.get(1),
                (in.get(2) + 2L * padding - kernel) / stride + 1, (in.get(3) + 2L * padding - kernel) / stride + 1),
                (graph, x) -> graph.maxPool(x, kernel, stride, padding));
    }

    /** A parameter-free single-array block with an explicit output-shape rule; it cannot be exported to ONNX. */
    public static Block function(UnaryOperator<NDArray> op, UnaryOperator<Shape> outputShape) {
        return new FunctionBlock(op, outputShape);
    }

    /** {@link #function(UnaryOperator, UnaryOperator)} that exports itself to ONNX with {@code onnx}. */
    public static Block function(UnaryOperator<NDArray> op, UnaryOperator<Shape> outputShape, OnnxUnary onnx) {
        return new ExportableFunctionBlock(op, outputShape, onnx);
    }

    /** A single-array function written as ONNX ops. */
    @FunctionalInterface
    public interface OnnxUnary {
        OnnxGraph.Value apply(OnnxGraph graph, OnnxGraph.Value x);
    }

    /**
     * Number of trainable scalars (parameters with requiresGradient; BN running stats are not). Parameter
     * shapes are known once the block is initialised.
     */
    public static long trainableParameterCount(Block block) {
        long total = 0;
        for (Parameter p : block.getParameters().values()) {
            if (p.getShape() == null) {
                throw new IllegalStateException("parameter " + p.getName() + " has no shape yet: initialise the block first");
            }
            total += p.requiresGradient() ? p.getShape().size() : 0;
        }
        return total;
    }

    /**
     * Reads parameters that {@link Block#saveParameters} wrote, then re-enables gradients on the trainable ones:
     * DJL's loader replaces the arrays and drops their gradient flag.
     */
    public static void loadParameters(Block block, NDManager manager, DataInputStream in)
            throws IOException, MalformedModelException {
        block.loadParameters(manager, in);
        block.getParameters().values().stream().filter(Parameter::requiresGradient)
                .forEach(p -> p.getArray().setRequiresGradient(true));
    }

    /**
     * Freezes a block's trainable parameters until the returned handle is closed (a graph passes through the
     * block, but no gradient reaches its parameters). Closing unfreezes exactly those: unfreezing every
     * parameter would make batch-norm statistics trainable.
     */
    public static Frozen freeze(Block block) {
        List<Parameter> trainable = block.getParameters().values().stream().filter(Parameter::requiresGradient).toList();
        trainable.forEach(p -> p.freeze(true));
        return new Frozen(trainable);
    }

    /** Parameters frozen by {@link #freeze}; {@link #close} unfreezes them. */
    public static final class Frozen implements AutoCloseable {
        private final List<Parameter> parameters;

        private Frozen(List<Parameter> parameters) {
            this.parameters = parameters;
        }

        @Override
        public void close() {
            parameters.forEach(p -> p.freeze(false));
        }
    }

    private static class FunctionBlock extends AbstractBlock {
        private final UnaryOperator<NDArray> op;
        private final UnaryOperator<Shape> outputShape;

        FunctionBlock(UnaryOperator<NDArray> op, UnaryOperator<Shape> outputShape) {
            this.op = op;
            this.outputShape = outputShape;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(op.apply(inputs.singletonOrThrow()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {outputShape.apply(inputShapes[0])};
        }
    }

    private static final class ExportableFunctionBlock extends FunctionBlock implements OnnxExportable {
        private final OnnxUnary onnx;

        ExportableFunctionBlock(UnaryOperator<NDArray> op, UnaryOperator<Shape> outputShape, OnnxUnary onnx) {
            super(op, outputShape);
            this.onnx = onnx;
        }

        @Override
        public List<OnnxGraph.Value> exportOnnx(OnnxGraph graph, List<OnnxGraph.Value> inputs) {
            return List.of(onnx.apply(graph, inputs.get(0)));
        }
    }
}
