package io.sslseg.api.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.onnx.proto.OnnxMl;
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

    /** A tensor in the graph: an input, an initialiser or an op's output. */
    public static final class Value {
        private final ONNXRef<?> ref;

        private Value(ONNXRef<?> ref) {
            this.ref = ref;
        }

        /** Its name in the graph. */
        public String name() {
            return ref.getReference();
        }
    }

    /**
     * A float input; each dimension is a Long or Integer (fixed) or a String (a named free dimension: the exported
     * model takes any batch or size there).
     */
    public Value input(String name, Object... dims) {
        Value v = new Value(context.floatInput(name, 1));
        types.put(name, tensorType(dims));
        return v;
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
            throw new OnnxExportException(String.join("/", path) + " (" + block.getClass().getName()
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
        return op("MaxPool", List.of(x), Map.of("kernel_shape", new int[] {kernel, kernel},
                "strides", new int[] {stride, stride}, "pads", new int[] {padding, padding, padding, padding}));
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

    private String where(String name) {
        List<String> p = new ArrayList<>(path);
        p.add(name);
        return String.join("/", p);
    }

    private String nodeName(String base) {
        return path.isEmpty() ? base : String.join(".", path) + "." + base;
    }

    private Value single(List<Value> in) {
        if (in.size() != 1) {
            throw new OnnxExportException(String.join("/", path) + ": expected one input, got " + in.size());
        }
        return in.get(0);
    }

    private NDArray parameter(Block block, String name) {
        Parameter p = block.getParameters().get(name);
        if (p == null || !p.isInitialized()) {
            throw new OnnxExportException(String.join("/", path) + ": parameter " + name + " is missing or not initialised");
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
            throw new OnnxExportException(String.join("/", path) + ": cannot read this DJL version's batch-norm epsilon ("
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
