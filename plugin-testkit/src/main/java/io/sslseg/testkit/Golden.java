package io.sslseg.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference values computed by CCT's own code (shared/golden/cct-losses.json, copied into the test
 * resources so tests do not depend on a folder outside the repository).
 */
public final class Golden {
    private static JsonNode root;

    private Golden() {}

    public static synchronized JsonNode root() {
        if (root == null) {
            try (InputStream in = Golden.class.getResourceAsStream("/golden/cct-losses.json")) {
                root = new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    public static JsonNode input(String name) {
        return root().get("inputs").get(name);
    }

    public static JsonNode output(String name) {
        return root().get("outputs").get(name);
    }

    /** A nested JSON array as a float NDArray of its shape. */
    public static NDArray array(NDManager manager, JsonNode nested) {
        List<Long> shape = new ArrayList<>();
        JsonNode n = nested;
        while (n.isArray()) {
            shape.add((long) n.size());
            n = n.get(0);
        }
        float[] flat = flatten(nested);
        return manager.create(flat, new Shape(shape.stream().mapToLong(Long::longValue).toArray()));
    }

    public static float[] flatten(JsonNode nested) {
        List<Double> values = new ArrayList<>();
        collect(nested, values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    private static void collect(JsonNode n, List<Double> out) {
        if (n.isArray()) {
            n.forEach(c -> collect(c, out));
        } else {
            out.add(n.asDouble());
        }
    }

    /** Asserts |a - e| <= rel * max(|e|, floor) element-wise, naming the first bad index. */
    public static void assertClose(float[] expected, float[] actual, double rel, double floor, String what) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": length " + actual.length + " != expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double tol = rel * Math.max(Math.abs(expected[i]), floor);
            if (Math.abs(expected[i] - actual[i]) > tol) {
                throw new AssertionError(what + "[" + i + "]: " + actual[i] + " != expected " + expected[i]);
            }
        }
    }
}
