package io.sslseg.api.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.onnx.proto.OnnxMl;
import io.sslseg.api.nn.SpatialOps;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXRef;

/**
 * An ONNX graph (opset {@value #OPSET}) being written from a network's blocks, in inference mode (batch norm with
 * its running statistics, no dropout). Tribuo's ONNX builder keeps the protos and unique names; this class adds
 * what a network needs: any operator by name, parameters as initialisers, a walk over DJL's own blocks and the
 * few ops every model here uses. Values stay opaque so that a plugin never compiles against the proto library.
 */
public final class OnnxGraph {
    /** The opset every exported model imports. */
    public static final int OPSET = 17;

    private final ONNXContext context = new ONNXContext();
    private final List<String> path = new ArrayList<>();
    private final Map<String, OnnxMl.TypeProto> types = new LinkedHashMap<>();

    /**
     * A tensor in the graph: an input, an initialiser or an op's output. Its shape is known where the model's input
     * has a fixed size: {@link #export} carries it through every block by the block's own {@code getOutputShapes}.
     */
    public static final class Value {
        private final ONNXRef<?> ref;
        private final Shape shape;

        private Value(ONNXRef<?> ref, Shape shape) {
            this.ref = ref;
            this.shape = shape;
        }

        private Value(ONNXRef<?> ref) {
            this(ref, null);
        }

        /** Its name in the graph. */
        public String name() {
            return ref.getReference();
        }

        /** Its static shape (-1 for the batch), or null where the model's sizes are free. */
        public Shape shape() {
            return shape;
        }

        private Value withShape(Shape s) {
            return new Value(ref, s);
        }
    }

    /**
     * Thrown by a block whose ONNX form needs its input's height and width fixed (adaptive pooling): the exporter
     * then writes the model for one input size.
     */
    public static final class FixedSizeRequired extends OnnxExportException {
        public FixedSizeRequired(String message) {
            super(message);
        }
    }

    /**
     * A float input; each dimension is a Long or Integer (fixed) or a String (a named free dimension: the exported
     * model takes any batch or size there).
     */
    public Value input(String name, Object... dims) {
        types.put(name, tensorType(dims));
        long[] fixed = new long[dims.length];
        boolean sized = dims.length == 4 && dims[2] instanceof Number && dims[3] instanceof Number;
        for (int i = 0; i < dims.length; i++) {
            fixed[i] = dims[i] instanceof Number n ? n.longValue() : -1;
        }
        return new Value(context.floatInput(name, 1), sized ? new Shape(fixed) : null);
    }

    /** Makes {@code value} a float output of the model named {@code name}, dimensions as for {@link #input}. */
    public void output(String name, Value value, Object... dims) {
        context.assignTo(value.ref, context.floatOutput(name, 1));
        types.put(name, tensorType(dims));
    }

    /** Op {@code type} with one output; attribute values are Integer, Long, Float, String, int[], long[] or float[]. */
    public Value op(String type, List<Value> in, Map<String, Object> attributes) {
        Map<String, Object> converted = new LinkedHashMap<>();
        Map<String, ONNXAttribute> declared = new LinkedHashMap<>();
        attributes.forEach((k, v) -> {
            Object value = v instanceof Long l ? Integer.valueOf(Math.toIntExact(l))
                    : v instanceof long[] a ? Arrays.stream(a).mapToInt(Math::toIntExact).toArray() : v;
            converted.put(k, value);
            declared.put(k, new ONNXAttribute(k, attributeType(type, k, value), false));
        });
        ONNXOperator operator = new GenericOperator(type, in.size(), declared);
        return new Value(context.operation(operator, in.stream().map(x -> x.ref).toList(), nodeName(type), converted));
    }

    /** Op {@code type} without attributes. */
    public Value op(String type, Value... in) {
        return op(type, List.of(in), Map.of());
    }

    /** A float initialiser of the given shape (row-major data); an empty shape with no data is a 0-length vector. */
    public Value floats(String name, long[] shape, float[] data) {
        long size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (size != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + size
                    + " values, got " + data.length);
        }
        List<Integer> dims = Arrays.stream(shape).mapToObj(Math::toIntExact).toList();
        return new Value(context.floatTensor(nodeName(name), dims, b -> b.put(data)));
    }

    /** A float initialiser holding an array's current values (a parameter, a running statistic). */
    public Value floats(String name, NDArray array) {
        return floats(name, array.getShape().getShape(), array.toFloatArray());
    }

    /** A 1-D int64 initialiser (shapes, axes, sizes). */
    public Value longs(String name, long... values) {
        return new Value(context.array(nodeName(name), values));
    }

    /** A single-input, single-output block's output. */
    public Value export(String name, Block block, Value input) {
        List<Value> out = export(name, block, List.of(input));
        if (out.size() != 1) {
            throw new OnnxExportException(where(name) + ": expected one output, the export gave " + out.size());
        }
        return out.get(0);
    }

    /**
     * A block's outputs: its own {@link OnnxExportable#exportOnnx} when it has one, else DJL's sequential, conv and
     * batch-norm blocks, else an error naming the block's path in the network.
     */
    public List<Value> export(String name, Block block, List<Value> in) {
        List<Value> out = exportUnshaped(name, block, in);
        if (in.stream().anyMatch(v -> v.shape == null)) {
            return out;
        }
        Shape[] shapes = block.getOutputShapes(in.stream().map(Value::shape).toArray(Shape[]::new));
        if (shapes.length != out.size()) {
            throw new OnnxExportException(where(name) + ": the export gave " + out.size() + " outputs, the block has "
                    + shapes.length);
        }
        List<Value> shaped = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            shaped.add(out.get(i).withShape(shapes[i]));
        }
        return shaped;
    }

    private List<Value> exportUnshaped(String name, Block block, List<Value> in) {
        path.add(name);
        try {
            if (block instanceof OnnxExportable e) {
                return e.exportOnnx(this, in);
            }
            if (block instanceof SequentialBlock s) {
                List<Value> x = in;
                var children = s.getChildren();
                for (int i = 0; i < children.size(); i++) {
                    x = export(children.get(i).getKey(), children.get(i).getValue(), x);
                }
                return x;
            }
            if (block instanceof Conv2d c) {
                return List.of(conv(c, single(in)));
            }
            if (block instanceof BatchNorm b) {
                return List.of(batchNorm(b, single(in)));
            }
            throw new OnnxExportException(here() + " (" + block.getClass().getName()
                    + ") cannot be exported to ONNX: it is not a block the exporter knows and does not implement "
                    + OnnxExportable.class.getSimpleName());
        } finally {
            path.remove(path.size() - 1);
        }
    }

    /** PyTorch's ReLU. */
    public Value relu(Value x) {
        return op("Relu", x);
    }

    /** PyTorch's {@code MaxPool2d(kernel, stride, padding)}, floor mode. */
    public Value maxPool(Value x, int kernel, int stride, int padding) {
        return op("MaxPool", List.of(x), poolAttributes(kernel, stride, padding));
    }

    /**
     * PyTorch's {@code adaptive_avg_pool2d} to outH x outW, as two constant matrix products; needs {@code x}'s static
     * shape (the bins depend on the input size), else {@link FixedSizeRequired}.
     */
    public Value adaptiveAvgPool(Value x, int outH, int outW) {
        if (x.shape == null) {
            throw new FixedSizeRequired(here() + ": adaptive average pooling needs a fixed input size");
        }
        int h = Math.toIntExact(x.shape.get(2));
        int w = Math.toIntExact(x.shape.get(3));
        Value rows = floats("pool_rows", new long[] {outH, h}, SpatialOps.adaptivePoolMatrix(h, outH));
        float[] cols = SpatialOps.adaptivePoolMatrix(w, outW);
        float[] colsT = new float[cols.length];
        for (int i = 0; i < outW; i++) {
            for (int j = 0; j < w; j++) {
                colsT[j * outW + i] = cols[i * w + j];
            }
        }
        Value alongW = op("MatMul", x, floats("pool_cols", new long[] {w, outW}, colsT));
        Value pooled = op("MatMul", rows, alongW);
        Shape s = x.shape;
        return pooled.withShape(new Shape(s.get(0), s.get(1), outH, outW));
    }

    /** PyTorch's {@code PixelShuffle(r)} (ONNX's DepthToSpace in CRD order). */
    public Value pixelShuffle(Value x, int r) {
        return op("DepthToSpace", List.of(x), Map.of("blocksize", r, "mode", "CRD"));
    }

    /** PyTorch's exact (erf) GELU: x / 2 * (1 + erf(x / sqrt 2)). */
    public Value gelu(Value x) {
        Value erf = op("Erf", op("Div", x, floats("sqrt2", new long[] {1}, new float[] {(float) Math.sqrt(2)})));
        Value half = op("Mul", x, floats("half", new long[] {1}, new float[] {0.5f}));
        return op("Mul", half, op("Add", erf, floats("one", new long[] {1}, new float[] {1f})));
    }

    /** PyTorch's {@code avg_pool2d(..., count_include_pad=False)}, floor mode. */
    public Value avgPoolExcludePad(Value x, int kernel, int stride, int padding) {
        Map<String, Object> attributes = new LinkedHashMap<>(poolAttributes(kernel, stride, padding));
        attributes.put("count_include_pad", 0);
        return op("AveragePool", List.of(x), attributes);
    }

    /** Layer norm over the channels of N x C x H x W (each pixel's C values), with per-channel scale and shift [C]. */
    public Value layerNormChannels(Value x, NDArray gamma, NDArray beta, float eps) {
        Value nhwc = op("Transpose", List.of(x), Map.of("perm", new int[] {0, 2, 3, 1}));
        Value normalised = op("LayerNormalization", List.of(nhwc, floats("gamma", gamma), floats("beta", beta)),
                Map.of("axis", -1, "epsilon", eps));
        return op("Transpose", List.of(normalised), Map.of("perm", new int[] {0, 3, 1, 2}));
    }

    /**
     * Group norm of N x C x H x W: statistics over each group of C / groups channels and all pixels (biased
     * variance), then per-channel {@code weight} and {@code bias} of shape 1 x C x 1 x 1.
     */
    public Value groupNorm(Value x, int groups, NDArray weight, NDArray bias, float eps) {
        Value grouped = op("Reshape", x, longs("grouped", 0, groups, -1));
        Value mean = op("ReduceMean", List.of(grouped), Map.of("axes", new int[] {2}, "keepdims", 1));
        Value centred = op("Sub", grouped, mean);
        Value variance = op("ReduceMean", List.of(op("Mul", centred, centred)), Map.of("axes", new int[] {2}, "keepdims", 1));
        Value std = op("Sqrt", op("Add", variance, floats("eps", new long[] {1}, new float[] {eps})));
        Value normalised = op("Reshape", op("Div", centred, std), op("Shape", x));
        return op("Add", op("Mul", normalised, floats("weight", weight)), floats("bias", bias));
    }

    /** A square pooling window's attributes, padding on every side. */
    private static Map<String, Object> poolAttributes(int kernel, int stride, int padding) {
        return Map.of("kernel_shape", new int[] {kernel, kernel}, "strides", new int[] {stride, stride},
                "pads", new int[] {padding, padding, padding, padding});
    }

    /** Concatenation along {@code axis}. */
    public Value concat(int axis, List<Value> xs) {
        return op("Concat", xs, Map.of("axis", axis));
    }

    /** Bilinear resize with {@code align_corners=false} to the height and width of {@code like} (any size). */
    public Value resizeBilinear(Value x, Value like) {
        Value batchAndChannels = op("Shape", List.of(x), Map.of("start", 0, "end", 2));
        Value size = op("Shape", List.of(like), Map.of("start", 2, "end", 4));
        Value sizes = concat(0, List.of(batchAndChannels, size));
        return resize(x, floats("roi", new long[] {0}, new float[0]), floats("scales", new long[] {0}, new float[0]),
                sizes);
    }

    /** Bilinear upsampling by a whole factor with {@code align_corners=false}. */
    public Value resizeBilinear(Value x, int factor) {
        return resize(x, floats("roi", new long[] {0}, new float[0]),
                floats("scales", new long[] {4}, new float[] {1, 1, factor, factor}), null);
    }

    private Value resize(Value x, Value roi, Value scales, Value sizes) {
        List<Value> in = sizes == null ? List.of(x, roi, scales) : List.of(x, roi, scales, sizes);
        // half_pixel with edge clamping is PyTorch's align_corners=false (SpatialOps.resizeBilinear)
        return op("Resize", in, Map.of("mode", "linear", "coordinate_transformation_mode", "half_pixel"));
    }

    /** A DJL 2-D convolution with its current weights. */
    public Value conv(Conv2d conv, Value x) {
        List<Value> in = new ArrayList<>(List.of(x, floats("weight", parameter(conv, "weight"))));
        if (conv.isIncludeBias()) {
            in.add(floats("bias", parameter(conv, "bias")));
        }
        int[] pad = ints(conv.getPadding().getShape());
        return op("Conv", in, Map.of("kernel_shape", ints(conv.getKernelShape().getShape()),
                "strides", ints(conv.getStride().getShape()), "dilations", ints(conv.getDilation().getShape()),
                "pads", IntStream.concat(Arrays.stream(pad), Arrays.stream(pad)).toArray(), "group", conv.getGroups()));
    }

    /** A DJL batch norm over axis 1 in inference mode: its running statistics. */
    public Value batchNorm(BatchNorm bn, Value x) {
        return op("BatchNormalization", List.of(x, floats("gamma", parameter(bn, "gamma")),
                floats("beta", parameter(bn, "beta")), floats("mean", parameter(bn, "runningMean")),
                floats("var", parameter(bn, "runningVar"))), Map.of("epsilon", batchNormEpsilon(bn)));
    }

    /** The model: this graph with its inputs and outputs, and {@code metadata} as its metadata properties. */
    public byte[] toModel(Map<String, String> metadata, String producerVersion) {
        OnnxMl.GraphProto.Builder graph = context.buildGraph().toBuilder();
        graph.setName("sslseg");
        for (int i = 0; i < graph.getInputCount(); i++) {
            graph.setInput(i, graph.getInput(i).toBuilder().setType(types.get(graph.getInput(i).getName())));
        }
        for (int i = 0; i < graph.getOutputCount(); i++) {
            graph.setOutput(i, graph.getOutput(i).toBuilder().setType(types.get(graph.getOutput(i).getName())));
        }
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8) // ONNX 1.10 to 1.12's, which opset 17 needs at least
                .setProducerName("sslseg")
                .setProducerVersion(producerVersion)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph);
        metadata.forEach((k, v) -> model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build().toByteArray();
    }

    private static OnnxMl.TypeProto tensorType(Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            var dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else if (d instanceof Number n) {
                dim.setDimValue(n.longValue());
            } else {
                throw new IllegalArgumentException("a dimension is a String (free) or a number, got " + d);
            }
            shape.addDim(dim);
        }
        return OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape)).build();
    }

    /** The path of the block being exported, for messages. */
    private String here() {
        return String.join("/", path);
    }

    private String where(String name) {
        return path.isEmpty() ? name : here() + "/" + name;
    }

    private String nodeName(String base) {
        return path.isEmpty() ? base : String.join(".", path) + "." + base;
    }

    private Value single(List<Value> in) {
        if (in.size() != 1) {
            throw new OnnxExportException(here() + ": expected one input, got " + in.size());
        }
        return in.get(0);
    }

    private NDArray parameter(Block block, String name) {
        Parameter p = block.getParameters().get(name);
        if (p == null || !p.isInitialized()) {
            throw new OnnxExportException(here() + ": parameter " + name + " is missing or not initialised");
        }
        return p.getArray();
    }

    // DJL 0.36's BatchNorm has no getter for epsilon; every shipped model uses Layers.batchNorm (1e-5), but a
    // plugin's own may not, so the value is read rather than assumed.
    private float batchNormEpsilon(BatchNorm bn) {
        try {
            Field f = BatchNorm.class.getDeclaredField("epsilon");
            f.setAccessible(true);
            return f.getFloat(bn);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new OnnxExportException(here() + ": cannot read this DJL version's batch-norm epsilon ("
                    + e + ")");
        }
    }

    private static int[] ints(long[] values) {
        return Arrays.stream(values).mapToInt(Math::toIntExact).toArray();
    }

    private static OnnxMl.AttributeProto.AttributeType attributeType(String op, String key, Object value) {
        if (value instanceof Integer) {
            return OnnxMl.AttributeProto.AttributeType.INT;
        } else if (value instanceof Float) {
            return OnnxMl.AttributeProto.AttributeType.FLOAT;
        } else if (value instanceof String) {
            return OnnxMl.AttributeProto.AttributeType.STRING;
        } else if (value instanceof int[]) {
            return OnnxMl.AttributeProto.AttributeType.INTS;
        } else if (value instanceof float[]) {
            return OnnxMl.AttributeProto.AttributeType.FLOATS;
        }
        throw new IllegalArgumentException(op + "." + key + ": unsupported attribute value " + value);
    }

    /** Any standard operator with one output and exactly the inputs and attributes it is given. */
    private record GenericOperator(String type, int inputCount, Map<String, ONNXAttribute> attributes)
            implements ONNXOperator {
        @Override
        public String getOpName() {
            return type;
        }

        @Override
        public int getNumInputs() {
            return inputCount;
        }

        @Override
        public int getNumOptionalInputs() {
            return 0;
        }

        @Override
        public int getNumOutputs() {
            return 1;
        }

        @Override
        public Map<String, ONNXAttribute> getAttributes() {
            return attributes;
        }

        @Override
        public Set<String> getMandatoryAttributeNames() {
            return Set.of();
        }

        @Override
        public int getOpVersion() {
            return OPSET;
        }

        @Override
        public String getOpDomain() {
            return null;
        }
    }
}
