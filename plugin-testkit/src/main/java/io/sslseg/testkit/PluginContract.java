package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.api.ComponentFactory;
import io.sslseg.api.Components;
import io.sslseg.api.augment.AugmentationFactory;
import io.sslseg.api.model.DecoderFactory;
import io.sslseg.api.model.EncoderFactory;
import io.sslseg.api.ssl.ConsistencyLossFactory;
import io.sslseg.api.ssl.PerturbationFactory;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.plugins.PluginSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * A built plugin jar, loaded the way the platform loads a jar dropped into plugins/ (its manifest, its own class
 * loader, its extension), and every contract that applies run over every component it registers, with default
 * parameters: encoders and decoders (shapes, gradients, ONNX export), perturbations, consistency losses,
 * augmentations and loss terms. Datasets and pseudo-labellers need their data or settings: check them with
 * {@link DatasetContract} and {@link PseudoLabelerContract} and a config block.
 *
 * <pre>{@code @TestFactory Stream<DynamicTest> myJar() { return PluginContract.forJar(Path.of("target/my-plugin.jar")); }}</pre>
 */
public final class PluginContract {
    private PluginContract() {}

    public static Stream<DynamicTest> forJar(Path jar) {
        assertTrue(Files.isRegularFile(jar), jar + ": no such plugin jar (build it first: mvn package)");
        ComponentCatalog catalog = load(jar);
        assertTrue(catalog.problems().isEmpty(), jar + " does not load: " + catalog.problems());
        List<ComponentCatalog.Entry> own = Components.KINDS.stream().flatMap(k -> catalog.entries(k).stream())
                .filter(e -> !PluginSystem.BUILT_IN.equals(e.pluginId())).toList();
        assertFalse(own.isEmpty(), jar + " registers no component");
        return own.stream().flatMap(e -> tests(catalog, e));
    }

    private static Stream<DynamicTest> tests(ComponentCatalog catalog, ComponentCatalog.Entry e) {
        String name = e.name();
        String label = e.kind() + " " + name;
        ComponentFactory<?, ?, ?> f = e.factory();
        if (f instanceof EncoderFactory<?> encoder) {
            return Stream.of(DynamicTest.dynamicTest(label, () -> EncoderContract.check(name, encoder)),
                    DynamicTest.dynamicTest(label + " onnx", () -> OnnxExportContract.checkEncoder(name, encoder)));
        }
        if (f instanceof DecoderFactory<?> decoder) {
            return Stream.of(DynamicTest.dynamicTest(label,
                            () -> DecoderContract.check(name, decoder, DecoderContract.FEATURES)),
                    DynamicTest.dynamicTest(label + " onnx", () -> OnnxExportContract.checkDecoder(name, decoder)));
        }
        if (f instanceof PerturbationFactory<?> p) {
            return Stream.of(DynamicTest.dynamicTest(label,
                    () -> PerturbationContract.check(name, PerturbationContract.create(p))));
        }
        if (f instanceof ConsistencyLossFactory<?> c) {
            return Stream.of(DynamicTest.dynamicTest(label,
                    () -> ConsistencyLossContract.check(name, ConsistencyLossContract.create(c))));
        }
        if (f instanceof AugmentationFactory<?> a) {
            return Stream.of(DynamicTest.dynamicTest(label, () -> AugmentationContract.check(name, AugmentationContract.create(a))));
        }
        if (e.kind() == Components.LOSS_TERM) {
            return LossTermContract.check(catalog, "{type: " + name + "}");
        }
        return Stream.empty();
    }

    private static ComponentCatalog load(Path jar) {
        Path dir = TestPlatform.tempDir("sslseg-plugin-contract");
        try {
            Files.copy(jar, dir.resolve(jar.getFileName()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return TestPlatform.catalogWith(dir);
    }
}
