package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * ONNX's reference checker ({@code onnx.checker.check_model} with full shape inference), run by Python's
 * {@code onnx} package: an independent reader of the format, so that a model ONNX Runtime happens to accept is not
 * taken for a valid one. CI installs Debian's python3-onnx and sets {@code SSLSEG_ONNX_CHECKER=required}, which
 * turns a missing checker into a failure; elsewhere a missing checker skips this part of a test.
 */
public final class OnnxChecker {
    private OnnxChecker() {}

    // Debian's interpreter, which python3-onnx installs into, even where another python3 comes first on the PATH
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    public static void check(Path model) throws IOException, InterruptedException {
        boolean required = "required".equals(System.getenv("SSLSEG_ONNX_CHECKER"));
        Process probe = new ProcessBuilder(PYTHON, "-c", "import onnx").redirectErrorStream(true).start();
        boolean available = probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        if (!available) {
            if (required) {
                fail("SSLSEG_ONNX_CHECKER=required but python3 cannot import onnx (apt-get install python3-onnx)");
            }
            assumeTrue(false, "python3's onnx package is not installed: the ONNX checker was not run");
        }
        Process p = new ProcessBuilder(PYTHON, "-c",
                "import sys, onnx; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)", model.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the ONNX checker did not finish in 120 s");
        }
        assertEquals(0, p.exitValue(), "the ONNX checker rejects " + model + ":\n" + out);
    }
}
