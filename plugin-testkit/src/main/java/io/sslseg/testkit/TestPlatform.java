package io.sslseg.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.google.inject.Module;
import io.sslseg.platform.builtin.BuiltInModule;
import io.sslseg.platform.config.ParamBinder;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.plugins.PluginSystem;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.TrainingStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The platform with its built-ins and the test components, and no plugin jars unless a test gives a folder of them. */
public final class TestPlatform {
    private TestPlatform() {}

    /** The platform's built-ins, the test components and {@code modules} (the plugins' own, loaded from the class path). */
    public static ComponentCatalog catalog(Module... modules) {
        return catalogWith(tempDir("sslseg-no-plugins"), modules);
    }

    /** The same, plus the plugin jars in {@code pluginsDir}, loaded as the platform loads its plugins/ folder. */
    public static ComponentCatalog catalogWith(Path pluginsDir, Module... modules) {
        List<Module> all = new ArrayList<>(List.of(new BuiltInModule(), new TestComponentsModule()));
        all.addAll(List.of(modules));
        return PluginSystem.load(pluginsDir, all).catalog();
    }

    /** The tiny run of {@link #tinyRun} with {@code overrides}, resolved against {@code catalog}. */
    public static Experiment experiment(ComponentCatalog catalog, String... overrides) {
        return Experiment.resolve(tinyRun(overrides), catalog, tempDir("sslseg-run"));
    }

    /** A new empty folder under the system's temporary directory. */
    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tiny synthetic supervised run, with extra {@code key=value} overrides. */
    public static Map<String, Object> tinyRun(String... overrides) {
        List<String> sets = new ArrayList<>(List.of(
                "name=tiny", "seed=3",
                "dataset.type=synthetic",
                "model.encoder.type=tiny-cnn", "model.decoder.type=tiny-head",
                "train.iterations=60", "train.batchSize=8", "train.augment.crop=32",
                "train.augment.scaleMin=1.0", "train.augment.scaleMax=1.0",
                "train.optimizer.lr=0.01", "train.logEvery=5", "train.evalEvery=30", "train.checkpointEvery=10",
                "train.prefetch=2", "eval.batchSize=8", "runtime.threads=1", "runtime.device=cpu"));
        sets.addAll(List.of(overrides));
        return Experiment.loadTree(new ParamBinder(), null, sets);
    }

    /** The training step of a built experiment with its configured optimizer, as a run wires it. */
    public static TrainingStep step(Experiment exp, Experiment.Built model, NDManager root) {
        return exp.training(model, root).step();
    }

    /** The L2 norm of the gradients on a block's trainable parameters (after a backward pass). */
    public static double gradientNorm(Block block) {
        double sum = 0;
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                NDArray g = p.getArray().getGradient();
                sum += g.square().sum().getFloat();
            }
        }
        return Math.sqrt(sum);
    }
}
