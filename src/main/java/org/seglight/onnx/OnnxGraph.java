package org.seglight.onnx;

import ai.djl.ndarray.NDArray;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one ONNX model (IR version 8, default-domain opset 17 unless told otherwise): graph inputs and outputs with named dynamic
 * axes, float weights as initializers, constants, and nodes in the order they are added, which is the
 * topological order the modules describe themselves in.
 *
 * <p>The messages follow onnx/onnx.proto3 of the public ONNX IR; the field numbers are spelled out below.
 */
public final class OnnxGraph {

    /** The ONNX IR version written (8 pairs with opset 17). */
    public static final long IR_VERSION = 8;
    /** The default-domain opset the network's nodes use (LayerNormalization needs 17). */
    public static final long OPSET = 17;

    /** TensorProto.DataType values. */
    public static final int FLOAT = 1;
    public static final int UINT8 = 2;
    public static final int INT64 = 7;

    // ModelProto
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_PRODUCER_VERSION = 3;
    private static final int MODEL_DOC_STRING = 6;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int MODEL_METADATA_PROPS = 14;
    // OperatorSetIdProto
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    // StringStringEntryProto
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    // AttributeProto
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_S = 4;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_TYPE = 20;
    private static final int ATTR_TYPE_FLOAT = 1;
    private static final int ATTR_TYPE_INT = 2;
    private static final int ATTR_TYPE_STRING = 3;
    private static final int ATTR_TYPE_INTS = 7;
    // TensorProto
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    private static final int VALUE_NAME = 1;
    private static final int VALUE_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_TYPE_ELEM = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;

    private final String name;
    private final long opset;
    private final List<Proto> nodes = new ArrayList<>();
    private final List<Proto> initializers = new ArrayList<>();
    private final List<Proto> inputs = new ArrayList<>();
    private final List<Proto> outputs = new ArrayList<>();
    private final Map<String, String> constants = new HashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, Integer> used = new HashMap<>();
    private int counter;

    public OnnxGraph(String name) {
        this(name, OPSET);
    }

    /** A graph whose nodes follow another default-domain opset (18 has Resize's antialias). */
    public OnnxGraph(String name, long opset) {
        this.name = name;
        this.opset = opset;
    }

    /**
     * Declares a graph input.
     *
     * @param dims each a number (fixed) or a String (a named dynamic axis)
     * @return the input's value name
     */
    public String input(String valueName, int elemType, Object... dims) {
        inputs.add(valueInfo(valueName, elemType, dims));
        used.put(valueName, 1);
        return valueName;
    }

    /** Declares a graph output: the value {@code value} under the name {@code outputName}. */
    public void output(String value, String outputName, int elemType, Object... dims) {
        String v = value;
        if (!value.equals(outputName)) {
            v = node("Identity").in(value).out(outputName);
        }
        outputs.add(valueInfo(v, elemType, dims));
    }

    /** Adds a key/value pair to the model's metadata. */
    public void metadata(String key, String value) {
        metadata.put(key, value);
    }

    /** A float weight as an initializer named after the array (or {@code w<n>} when it has no name). */
    public String weight(NDArray array) {
        long[] shape = array.getShape().getShape();
        String n = array.getName() == null || array.getName().isEmpty() ? "w" + counter++ : array.getName();
        return floats(unique(n), array.toFloatArray(), shape);
    }

    /** A float initializer. */
    public String floats(String valueName, float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        initializers.add(tensor(valueName, FLOAT, shape, ByteString.copyFrom(b.array())));
        return valueName;
    }

    /** A 1-D int64 constant (shapes, axes), shared between the nodes that use the same values. */
    public String ints(long... values) {
        String key = "i" + Arrays.toString(values);
        return constants.computeIfAbsent(key, k -> {
            ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(values);
            String n = unique("const_i64");
            initializers.add(tensor(n, INT64, new long[] {values.length}, ByteString.copyFrom(b.array())));
            return n;
        });
    }

    /** A float scalar constant. */
    public String scalar(float value) {
        String key = "f" + Float.floatToIntBits(value);
        return constants.computeIfAbsent(key, k -> floats(unique("const_f32"), new float[] {value}));
    }

    /** A fresh value name starting with {@code base}. */
    public String freshName(String base) {
        return unique(base);
    }

    /** Starts a node of the default domain. */
    public Node node(String opType) {
        return new Node(opType);
    }

    /** The serialised ModelProto. */
    public byte[] toBytes(String producerVersion, String docString) {
        Proto graph = new Proto();
        for (Proto n : nodes) {
            graph.message(GRAPH_NODE, n);
        }
        graph.string(GRAPH_NAME, name);
        for (Proto t : initializers) {
            graph.message(GRAPH_INITIALIZER, t);
        }
        for (Proto i : inputs) {
            graph.message(GRAPH_INPUT, i);
        }
        for (Proto o : outputs) {
            graph.message(GRAPH_OUTPUT, o);
        }
        Proto model = new Proto()
                .int64(MODEL_IR_VERSION, IR_VERSION)
                .string(MODEL_PRODUCER_NAME, "seglight")
                .string(MODEL_PRODUCER_VERSION, producerVersion)
                .string(MODEL_DOC_STRING, docString)
                .message(MODEL_GRAPH, graph)
                .message(MODEL_OPSET_IMPORT, new Proto().string(OPSET_DOMAIN, "").int64(OPSET_VERSION, opset));
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            model.message(MODEL_METADATA_PROPS, new Proto().string(ENTRY_KEY, e.getKey()).string(ENTRY_VALUE,
                    e.getValue()));
        }
        return model.build().toByteArray();
    }

    private String unique(String base) {
        int n = used.merge(base, 1, Integer::sum);
        return n == 1 ? base : base + "_" + (n - 1);
    }

    private static Proto tensor(String name, int type, long[] shape, ByteString raw) {
        Proto t = new Proto();
        for (long d : shape) {
            t.int64(TENSOR_DIMS, d);
        }
        return t.int32(TENSOR_DATA_TYPE, type).string(TENSOR_NAME, name).bytes(TENSOR_RAW_DATA, raw);
    }

    private static Proto valueInfo(String name, int elemType, Object... dims) {
        Proto shape = new Proto();
        for (Object d : dims) {
            Proto dim = new Proto();
            if (d instanceof String s) {
                dim.string(DIM_PARAM, s);
            } else {
                dim.int64(DIM_VALUE, ((Number) d).longValue());
            }
            shape.message(SHAPE_DIM, dim);
        }
        Proto tensorType = new Proto().int32(TENSOR_TYPE_ELEM, elemType).message(TENSOR_TYPE_SHAPE, shape);
        return new Proto().string(VALUE_NAME, name).message(VALUE_TYPE, new Proto().message(TYPE_TENSOR, tensorType));
    }

    /** One node being described: inputs, attributes, then {@link #out}. */
    public final class Node {
        private final String opType;
        private final List<String> in = new ArrayList<>();
        private final List<Proto> attributes = new ArrayList<>();

        private Node(String opType) {
            this.opType = opType;
        }

        /** Inputs in order; an empty string is an omitted optional input. */
        public Node in(String... values) {
            in.addAll(List.of(values));
            return this;
        }

        public Node attr(String name, long value) {
            attributes.add(new Proto().string(ATTR_NAME, name).int64(ATTR_I, value).int32(ATTR_TYPE, ATTR_TYPE_INT));
            return this;
        }

        public Node attr(String name, float value) {
            attributes.add(new Proto().string(ATTR_NAME, name).float32(ATTR_F, value)
                    .int32(ATTR_TYPE, ATTR_TYPE_FLOAT));
            return this;
        }

        public Node attr(String name, String value) {
            attributes.add(new Proto().string(ATTR_NAME, name).bytes(ATTR_S, ByteString.copyFromUtf8(value))
                    .int32(ATTR_TYPE, ATTR_TYPE_STRING));
            return this;
        }

        public Node attrs(String name, long... values) {
            Proto a = new Proto().string(ATTR_NAME, name);
            for (long v : values) {
                a.int64(ATTR_INTS, v);
            }
            attributes.add(a.int32(ATTR_TYPE, ATTR_TYPE_INTS));
            return this;
        }

        /** Adds the node with one output of a fresh name, and returns that name. */
        public String out() {
            return outs(1)[0];
        }

        /** Adds the node with one output named {@code valueName}. */
        public String out(String valueName) {
            add(List.of(valueName));
            return valueName;
        }

        /** Adds the node with {@code count} outputs of fresh names. */
        public String[] outs(int count) {
            String[] names = new String[count];
            for (int i = 0; i < count; i++) {
                names[i] = unique(opType.toLowerCase(java.util.Locale.ROOT));
            }
            add(List.of(names));
            return names;
        }

        private void add(List<String> outputs) {
            Proto n = new Proto();
            for (String i : in) {
                n.string(NODE_INPUT, i);
            }
            for (String o : outputs) {
                n.string(NODE_OUTPUT, o);
                used.putIfAbsent(o, 1);
            }
            n.string(NODE_NAME, outputs.getFirst()).string(NODE_OP_TYPE, opType);
            for (Proto a : attributes) {
                n.message(NODE_ATTRIBUTE, a);
            }
            nodes.add(n);
        }
    }
}
