package io.sslseg.api.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import io.sslseg.api.nn.Layers;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class OnnxGraphTest {
    @Test
    void aBlockWithoutAnExportIsNamedByItsPath() {
        SequentialBlock net = new SequentialBlock().add(Layers.relu())
                .add(Layers.function(x -> x.mul(x), UnaryOperator.identity()));
        OnnxGraph graph = new OnnxGraph();
        OnnxGraph.Value in = graph.input("x", "N", 3, "H", "W");
        var e = assertThrows(OnnxExportException.class, () -> graph.export("net", net, in));
        assertTrue(e.getMessage().startsWith("net/02"), e.getMessage());
        assertTrue(e.getMessage().contains("does not implement OnnxExportable"), e.getMessage());
    }

    @Test
    void initialisersCheckTheirShape() {
        OnnxGraph graph = new OnnxGraph();
        assertThrows(IllegalArgumentException.class, () -> graph.floats("w", new Shape(2, 2).getShape(), new float[3]));
    }
}
