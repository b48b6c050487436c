package io.sslseg.platform.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.api.Components;
import io.sslseg.api.SslsegException;
import io.sslseg.api.loss.LossContext;
import io.sslseg.api.loss.SupervisedLoss;
import io.sslseg.platform.builtin.BuiltInModule;
import io.sslseg.platform.config.ConfigException;
import io.sslseg.testkit.PluginJarBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads real plugin jars, compiled and packaged at test time, from a folder: healthy plugins register
 * their components, and every kind of broken jar becomes one problem naming the plugin and the jar while
 * the others still load.
 */
class PluginSystemTest {
    @TempDir
    static Path built;

    @TempDir
    Path pluginsDir;

    @BeforeAll
    static void buildJars() throws IOException {
        TestPlugins.lossPlugin("loss-good", "test.good", "focal", "dice").build(built);
        TestPlugins.lossPlugin("clash-a", "test.clasha", "shared", "only-a").build(built);
        TestPlugins.lossPlugin("clash-b", "test.clashb", "shared", "only-b").build(built);
        TestPlugins.lossPlugin("old-api", "test.oldapi", "old-loss").requires(">=0.1.0 & <0.2.0").build(built);
        TestPlugins.lossPlugin("no-requires", "test.noreq", "noreq-loss").requires(null).build(built);
        TestPlugins.lossPlugin("no-version", "test.novers", "novers-loss").version(null).build(built);
        TestPlugins.lossPlugin("bundles-djl", "test.bdjl", "bdjl-loss")
                .entry("ai/djl/ndarray/NDArray.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE})
                .build(built);
        TestPlugins.lossPlugin("bundles-guice", "test.bguice", "bguice-loss")
                .entry("com/google/inject/Injector.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE})
                .build(built);
        TestPlugins.lossPlugin("unused", "test.noid", "noid-loss").manifest("Plugin-Id", null)
                .fileName("no-id.jar").build(built);
        TestPlugins.lossPlugin("twin", "test.twina", "twin-a-loss").fileName("twin-a.jar").build(built);
        TestPlugins.lossPlugin("twin", "test.twinb", "twin-b-loss").fileName("twin-b.jar").build(built);
        TestPlugins.throwingModule("bad-module", "test.badmodule").build(built);
        TestPlugins.uncreatableExtension("bad-extension", "test.badext").build(built);
        TestPlugins.lossPlugin("no-extension", "test.noext", "noext-loss").annotationProcessing(false).build(built);
        TestPlugins.lossPlugin("needs-other", "test.needs", "needs-loss")
                .manifest("Plugin-Dependencies", "absent-plugin").build(built);
        PluginJarBuilder.randomBytesJar(built, "corrupt.jar", 4096, 42);
        PluginJarBuilder.truncatedCopy(built.resolve("loss-good.jar"), built.resolve("truncated.jar"), 0.6);
    }

    /** A plugins folder holding copies of the named jars from {@link #built}. */
    private Path folder(String... jars) throws IOException {
        for (String j : jars) {
            Files.copy(built.resolve(j), pluginsDir.resolve(j));
        }
        return pluginsDir;
    }

    private static PluginSystem load(Path dir) {
        return PluginSystem.load(dir, List.of(new BuiltInModule()));
    }

    private static Map<String, Object> block(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static PluginProblem problemOf(PluginSystem ps, String jarName) {
        List<PluginProblem> found = ps.catalog().problems().stream()
                .filter(p -> p.jar().getFileName().toString().equals(jarName)).toList();
        assertEquals(1, found.size(), () -> "one problem for " + jarName + ", got " + ps.catalog().problems());
        return found.get(0);
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "'" + p + "' not in: " + message);
        }
    }

    private static List<String> lossNames(PluginSystem ps) {
        return ps.catalog().entries(Components.SUPERVISED_LOSS).stream().map(ComponentCatalog.Entry::name).toList();
    }

    private static List<String> pluginIds(PluginSystem ps) {
        return ps.plugins().stream().map(PluginInfo::id).toList();
    }

    @Test
    void goodPluginRegistersItsComponentsWithProvenance() throws IOException {
        Path dir = folder("loss-good.jar");
        Path jar = dir.resolve("loss-good.jar");
        try (PluginSystem ps = load(dir)) {
            assertEquals(List.of(), ps.catalog().problems());
            assertEquals(List.of(), ps.catalog().clashMessages());
            assertEquals(List.of("ce", "dice", "focal"), lossNames(ps));

            assertEquals(1, ps.plugins().size());
            PluginInfo info = ps.plugins().get(0);
            assertEquals("loss-good", info.id());
            assertEquals("1.0.0", info.version());
            assertEquals(jar, info.jar());
            assertEquals(PluginJars.sha256(jar), info.sha256());
            assertTrue(info.sha256().matches("[0-9a-f]{64}"), info.sha256());

            ComponentCatalog.Entry focal = ps.catalog().find(Components.SUPERVISED_LOSS, "focal", "loss");
            assertEquals("loss-good", focal.pluginId());
            assertEquals(jar.toString(), focal.source());
            assertEquals("test loss focal", focal.factory().summary());
            ComponentCatalog.Entry ce = ps.catalog().find(Components.SUPERVISED_LOSS, "ce", "loss");
            assertEquals(PluginSystem.BUILT_IN, ce.pluginId());
            assertEquals(List.of(focal), ps.catalog().named("focal"));

            // defaults fill what the block leaves out; the block's keys win
            ComponentCatalog.Resolved<?> r = ps.catalog().resolve(Components.SUPERVISED_LOSS,
                    block("type", "focal", "warmup", 5), "train.loss");
            assertEquals(focal, r.entry());
            Map<String, Object> expected = block("type", "focal", "gamma", 2.0, "warmup", 5, "reduction", "mean");
            assertEquals(expected, r.toConfig(ps.catalog().binder()));
            assertInstanceOf(PlatformClassLoader.class, r.params().getClass().getClassLoader(),
                    "the params record comes from the plugin's class loader");

            SupervisedLoss loss = ps.catalog().create(r, "train.loss", new LossContext(7));
            assertNotNull(loss);
            assertEquals("Impl", loss.getClass().getSimpleName());
        }
    }

    @Test
    void badParamsOfAPluginComponentNameTheKeyPath() throws IOException {
        try (PluginSystem ps = load(folder("loss-good.jar"))) {
            ComponentCatalog c = ps.catalog();
            ConfigException unknown = assertThrows(ConfigException.class,
                    () -> c.resolve(Components.SUPERVISED_LOSS, block("type", "focal", "gama", 1.0), "train.loss"));
            assertMentions(unknown.getMessage(), "train.loss.gama: unknown key", "gamma", "warmup", "reduction");

            ConfigException illTyped = assertThrows(ConfigException.class,
                    () -> c.resolve(Components.SUPERVISED_LOSS, block("type", "focal", "warmup", "soon"), "train.loss"));
            assertTrue(illTyped.getMessage().startsWith("train.loss.warmup: "), illTyped.getMessage());

            ConfigException range = assertThrows(ConfigException.class,
                    () -> c.resolve(Components.SUPERVISED_LOSS, block("type", "focal", "gamma", -1), "train.loss"));
            assertEquals("train.loss: gamma must be >= 0, got -1.0", range.getMessage());

            ConfigException noType = assertThrows(ConfigException.class,
                    () -> c.resolve(Components.SUPERVISED_LOSS, block("gamma", 1.0), "train.loss"));
            assertMentions(noType.getMessage(), "train.loss.type: missing", "ce, dice, focal");

            ConfigException unknownName = assertThrows(ConfigException.class,
                    () -> c.resolve(Components.SUPERVISED_LOSS, block("type", "focall"), "train.loss"));
            assertEquals("train.loss.type: unknown supervised-loss 'focall'; available: ce, dice, focal",
                    unknownName.getMessage());
        }
    }

    @Test
    void twoPluginsClaimingOneNameAreReportedAndTheNameCannotBeUsed() throws IOException {
        Path dir = folder("clash-a.jar", "clash-b.jar", "loss-good.jar");
        try (PluginSystem ps = load(dir)) {
            assertEquals(List.of(), ps.catalog().problems(), "a clash is not a load failure");
            assertEquals(List.of("clash-a", "clash-b", "loss-good"), pluginIds(ps));

            List<String> clashes = ps.catalog().clashMessages();
            assertEquals(1, clashes.size(), clashes::toString);
            String msg = clashes.get(0);
            assertMentions(msg, "supervised-loss 'shared'", "more than one plugin", "'clash-a'", "'clash-b'",
                    dir.resolve("clash-a.jar").toString(), dir.resolve("clash-b.jar").toString(), "remove one");

            ConfigException e = assertThrows(ConfigException.class,
                    () -> ps.catalog().resolve(Components.SUPERVISED_LOSS, block("type", "shared"), "train.loss"));
            assertEquals("train.loss.type: " + msg, e.getMessage());
            assertFalse(lossNames(ps).contains("shared"));

            assertEquals("clash-a", ps.catalog().find(Components.SUPERVISED_LOSS, "only-a", "x").pluginId());
            assertEquals("clash-b", ps.catalog().find(Components.SUPERVISED_LOSS, "only-b", "x").pluginId());
            SupervisedLoss onlyB = ps.catalog().build(Components.SUPERVISED_LOSS, block("type", "only-b"), "x",
                    new LossContext(3));
            assertNotNull(onlyB);
            assertEquals("loss-good", ps.catalog().find(Components.SUPERVISED_LOSS, "focal", "x").pluginId());
        }
    }

    @Test
    void aPluginForAnotherApiVersionIsRejectedWithTheVersions() throws IOException {
        try (PluginSystem ps = load(folder("old-api.jar", "loss-good.jar"))) {
            PluginProblem p = problemOf(ps, "old-api.jar");
            assertEquals("old-api", p.pluginId());
            assertMentions(p.toString(), "plugin 'old-api'", "old-api.jar", ">=0.1.0 & <0.2.0", "0.2.0",
                    "was built for plugin API");
            assertEquals(1, ps.catalog().problems().size());
            assertEquals(List.of("loss-good"), pluginIds(ps));
            assertEquals(List.of("ce", "dice", "focal"), lossNames(ps));
        }
    }

    @Test
    void aPluginWithoutAnApiRangeIsRejected() throws IOException {
        try (PluginSystem ps = load(folder("no-requires.jar", "loss-good.jar"))) {
            PluginProblem p = problemOf(ps, "no-requires.jar");
            assertMentions(p.toString(), "plugin 'no-requires'", "no-requires.jar", "no Plugin-Requires", "0.2.0");
            assertEquals(List.of("loss-good"), pluginIds(ps));
        }
    }

    @Test
    void aPluginThatPf4jRejectsIsReportedWithPf4jsReason() throws IOException {
        try (PluginSystem ps = load(folder("no-version.jar", "loss-good.jar"))) {
            PluginProblem p = problemOf(ps, "no-version.jar");
            assertMentions(p.toString(), "plugin 'no-version'", "no-version.jar", "PF4J could not load it",
                    "version");
            assertEquals(List.of("loss-good"), pluginIds(ps));
        }
    }

    @Test
    void corruptJarsAreReportedAndTheOthersLoad() throws IOException {
        try (PluginSystem ps = load(folder("corrupt.jar", "truncated.jar", "loss-good.jar"))) {
            assertEquals(2, ps.catalog().problems().size(), ps.catalog().problems()::toString);
            for (String name : List.of("corrupt.jar", "truncated.jar")) {
                PluginProblem p = problemOf(ps, name);
                assertNull(p.pluginId());
                assertMentions(p.toString(), "plugin jar ", name, "unreadable jar");
            }
            assertEquals(List.of("loss-good"), pluginIds(ps));
            assertEquals(List.of("ce", "dice", "focal"), lossNames(ps));
        }
    }

    @Test
    void jarsBundlingPlatformLibrariesAreRejected() throws IOException {
        try (PluginSystem ps = load(folder("bundles-djl.jar", "bundles-guice.jar", "loss-good.jar"))) {
            PluginProblem djl = problemOf(ps, "bundles-djl.jar");
            assertEquals("bundles-djl", djl.pluginId());
            assertMentions(djl.toString(), "plugin 'bundles-djl'", "bundles-djl.jar", "bundles classes of ai/djl/",
                    "must come from the platform");
            PluginProblem guice = problemOf(ps, "bundles-guice.jar");
            assertMentions(guice.toString(), "plugin 'bundles-guice'", "bundles-guice.jar",
                    "bundles classes of com/google/inject/", "must come from the platform");
            assertEquals(List.of("loss-good"), pluginIds(ps));
            assertFalse(lossNames(ps).contains("bdjl-loss"));
        }
    }

    @Test
    void aJarWithoutPluginIdIsNotAPlugin() throws IOException {
        try (PluginSystem ps = load(folder("no-id.jar", "loss-good.jar"))) {
            PluginProblem p = problemOf(ps, "no-id.jar");
            assertNull(p.pluginId());
            assertMentions(p.toString(), "plugin jar ", "no-id.jar", "no Plugin-Id", "not an sslseg plugin jar");
            assertEquals(List.of("loss-good"), pluginIds(ps));
            assertFalse(lossNames(ps).contains("noid-loss"));
        }
    }

    @Test
    void twoJarsWithOnePluginIdKeepTheFirst() throws IOException {
        Path dir = folder("twin-a.jar", "twin-b.jar");
        try (PluginSystem ps = load(dir)) {
            PluginProblem p = problemOf(ps, "twin-b.jar");
            assertEquals("twin", p.pluginId());
            assertMentions(p.toString(), "plugin 'twin'", "twin-b.jar", "same Plugin-Id",
                    dir.resolve("twin-a.jar").toString(), "remove one");
            assertEquals(List.of("twin"), pluginIds(ps));
            assertEquals(dir.resolve("twin-a.jar"), ps.plugins().get(0).jar());
            assertEquals(List.of("ce", "twin-a-loss"), lossNames(ps));
        }
    }

    @Test
    void aThrowingModuleOrAnUncreatableExtensionFailsOnlyItsPlugin() throws IOException {
        try (PluginSystem ps = load(folder("bad-module.jar", "bad-extension.jar", "no-extension.jar", "loss-good.jar"))) {
            assertEquals(3, ps.catalog().problems().size(), ps.catalog().problems()::toString);
            PluginProblem module = problemOf(ps, "bad-module.jar");
            assertEquals("bad-module", module.pluginId());
            assertMentions(module.toString(), "plugin 'bad-module'", "bad-module.jar", "its Guice module failed",
                    "boom in bad-module");
            PluginProblem ext = problemOf(ps, "bad-extension.jar");
            assertEquals("bad-extension", ext.pluginId());
            assertMentions(ext.toString(), "plugin 'bad-extension'", "bad-extension.jar",
                    "test.badext.BrokenModule cannot be created", "constructor of bad-extension fails");
            PluginProblem none = problemOf(ps, "no-extension.jar");
            assertMentions(none.toString(), "plugin 'no-extension'", "no-extension.jar", "contributes no SslsegModule",
                    "@org.pf4j.Extension");
            assertEquals(List.of("loss-good"), pluginIds(ps));
            assertEquals(List.of("ce", "dice", "focal"), lossNames(ps));
        }
    }

    @Test
    void aPluginWithAMissingDependencyDoesNotStopTheOthers() throws IOException {
        // "needs-other" sorts between "loss-good" and "old-api"/"twin-a": jars loaded after it must still load
        try (PluginSystem ps = load(folder("loss-good.jar", "needs-other.jar", "twin-a.jar"))) {
            PluginProblem p = problemOf(ps, "needs-other.jar");
            assertEquals("needs-other", p.pluginId());
            assertMentions(p.toString(), "plugin 'needs-other'", "needs-other.jar", "absent-plugin");
            assertEquals(1, ps.catalog().problems().size(), ps.catalog().problems()::toString);
            assertEquals(List.of("loss-good", "twin"), pluginIds(ps));
            assertEquals(List.of("ce", "dice", "focal", "twin-a-loss"), lossNames(ps));
        }
    }

    @Test
    void aConfigNamingAComponentOfAFailedPluginSaysWhichPluginsFailed() throws IOException {
        Path dir = folder("old-api.jar", "bad-module.jar", "loss-good.jar");
        try (PluginSystem ps = load(dir)) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ps.catalog().resolve(Components.SUPERVISED_LOSS, block("type", "old-loss"), "train.loss"));
            assertMentions(e.getMessage(), "train.loss.type: unknown supervised-loss 'old-loss'",
                    "available: ce, dice, focal", "plugins that failed to load",
                    "plugin 'old-api' (" + dir.resolve("old-api.jar") + ")", ">=0.1.0 & <0.2.0",
                    "plugin 'bad-module' (" + dir.resolve("bad-module.jar") + ")", "boom in bad-module");
            assertInstanceOf(SslsegException.class, e);
        }
    }

    @Test
    void anEmptyFolderHasOnlyTheBuiltIns() {
        try (PluginSystem ps = load(pluginsDir)) {
            assertEquals(List.of(), ps.plugins());
            assertEquals(List.of(), ps.catalog().problems());
            assertEquals(List.of("ce"), lossNames(ps));
        }
    }

    @Test
    void aMissingFolderIsOneClearError() {
        Path missing = pluginsDir.resolve("nope");
        SslsegException e = assertThrows(SslsegException.class, () -> load(missing));
        assertMentions(e.getMessage(), missing.toString(), "does not exist", "--plugins");
    }

    @Test
    void everyBrokenJarAtOnceStillLeavesTheGoodOnes() throws IOException {
        Path dir = folder("loss-good.jar", "clash-a.jar", "clash-b.jar", "old-api.jar", "corrupt.jar", "truncated.jar",
                "bundles-djl.jar", "no-id.jar", "twin-a.jar", "twin-b.jar", "bad-module.jar", "bad-extension.jar");
        try (PluginSystem ps = load(dir)) {
            Map<String, String> byJar = ps.catalog().problems().stream()
                    .collect(Collectors.toMap(p -> p.jar().getFileName().toString(), PluginProblem::message));
            assertEquals(List.of("bad-extension.jar", "bad-module.jar", "bundles-djl.jar", "corrupt.jar", "no-id.jar",
                    "old-api.jar", "truncated.jar", "twin-b.jar"), byJar.keySet().stream().sorted().toList());
            assertEquals(List.of("clash-a", "clash-b", "loss-good", "twin"), pluginIds(ps));
            assertEquals(List.of("ce", "dice", "focal", "only-a", "only-b", "twin-a-loss"), lossNames(ps));
            assertEquals(1, ps.catalog().clashMessages().size());
        }
    }
}
