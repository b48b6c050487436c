package io.sslseg.plugins.seggan;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.testkit.TestPlatform;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The platform with its test components and this plugin's module, and small helpers for the tests. */
final class Fixtures {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static ComponentCatalog catalog;

    private Fixtures() {}

    static synchronized ComponentCatalog catalog() {
        if (catalog == null) {
            catalog = TestPlatform.catalog(new SegGanModule());
        }
        return catalog;
    }

    /** The platform's tiny synthetic run (32 px crops, batch 8, 60 iterations) with an unlabelled split of 16. */
    static Map<String, Object> tinyRun(String... more) {
        List<String> sets = new ArrayList<>(List.of("dataset.unlabeled=16"));
        sets.addAll(List.of(more));
        return TestPlatform.tinyRun(sets.toArray(String[]::new));
    }

    /** Every trainable parameter's values (or gradients), in order: for exact before/after comparisons. */
    static List<float[]> values(Block block, boolean gradients) {
        List<float[]> out = new ArrayList<>();
        for (var e : block.getParameters()) {
            Parameter p = e.getValue();
            if (p.requiresGradient()) {
                NDArray a = gradients ? p.getArray().getGradient() : p.getArray();
                out.add(a.toFloatArray());
            }
        }
        return out;
    }

    static boolean same(List<float[]> a, List<float[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    static List<Map<?, ?>> metrics(RunFolder f) throws IOException {
        return RunFolder.readMetrics(f.dir());
    }
}
