package io.sslseg.platform.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * Both engines the platform ships start from the jars on the class path with downloads disabled
 * (surefire runs with DJL_OFFLINE=true and an empty cache folder of its own).
 */
class EnginesOfflineTest {
    @Test
    void runsOffline() {
        assertEquals("true", System.getenv("DJL_OFFLINE"), "tests must run with DJL offline");
    }

    @Test
    void pytorchComputes() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            assertEquals(6f, m.ones(new Shape(2, 3)).sum().getFloat());
        }
    }

    @Test
    void onnxRuntimeEngineLoads() {
        Engine onnx = Engine.getEngine("OnnxRuntime");
        assertTrue(onnx.getVersion() != null && !onnx.getVersion().isBlank(), "ONNX Runtime version");
    }
}
