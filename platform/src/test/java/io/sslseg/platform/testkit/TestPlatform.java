package io.sslseg.platform.testkit;

import io.sslseg.platform.builtin.BuiltInModule;
import io.sslseg.platform.config.ParamBinder;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.plugins.PluginSystem;
import io.sslseg.platform.train.Experiment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The platform with its built-ins and the test components, and no plugin jars. */
public final class TestPlatform {
    private TestPlatform() {}

    public static ComponentCatalog catalog() {
        try {
            Path empty = Files.createTempDirectory("sslseg-no-plugins");
            return PluginSystem.load(empty, List.of(new BuiltInModule(), new TestComponentsModule())).catalog();
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
}
