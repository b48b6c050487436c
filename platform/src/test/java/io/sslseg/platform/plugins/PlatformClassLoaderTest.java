package io.sslseg.platform.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.google.inject.Injector;
import io.sslseg.api.Components;
import io.sslseg.api.loss.LossContext;
import io.sslseg.api.loss.SupervisedLoss;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.platform.builtin.BuiltInModule;
import io.sslseg.testkit.PluginJarBuilder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginDescriptor;
import org.pf4j.Extension;
import org.pf4j.JarPluginManager;

/**
 * A plugin's classes link against the platform's DJL, Guice, PF4J and plugin-API classes (one copy per
 * JVM), while its own packages are plugin-first.
 */
class PlatformClassLoaderTest {
    @TempDir
    Path dir;

    @Test
    void aLoadedPluginSeesThePlatformsClasses() throws Exception {
        TestPlugins.lossPlugin("cl-loss", "test.cl", "cl-loss").build(dir);
        try (PluginSystem ps = PluginSystem.load(dir, List.of(new BuiltInModule()))) {
            assertEquals(List.of(), ps.catalog().problems());
            ComponentCatalog.Entry entry = ps.catalog().find(Components.SUPERVISED_LOSS, "cl-loss", "loss");
            Class<?> factoryClass = entry.factory().getClass();
            ClassLoader pluginLoader = factoryClass.getClassLoader();
            assertInstanceOf(PlatformClassLoader.class, pluginLoader);

            // what the plugin's bytecode linked against is the test's (the application loader's) classes
            Class<?>[] linked = (Class<?>[]) factoryClass.getMethod("linkedClasses").invoke(null);
            assertArrayEquals(new Class<?>[] {NDArray.class, Injector.class, SupervisedLoss.class, Extension.class},
                    linked);
            for (String name : List.of("ai.djl.ndarray.NDArray", "com.google.inject.Module",
                    "com.google.common.collect.ImmutableList", "org.slf4j.Logger", "io.sslseg.api.Components",
                    "io.sslseg.platform.plugins.PluginSystem")) {
                assertSame(Class.forName(name), pluginLoader.loadClass(name), name);
            }

            SupervisedLoss loss = ps.catalog().build(Components.SUPERVISED_LOSS, Map.of("type", "cl-loss"), "loss",
                    new LossContext(5));
            assertSame(pluginLoader, loss.getClass().getClassLoader());
            assertTrue(Arrays.asList(loss.getClass().getInterfaces()).contains(SupervisedLoss.class));
            assertSame(NDArray.class,
                    loss.getClass().getMethod("compute", NDArray.class, NDArray.class, TrainingClock.class).getReturnType());
        }
    }

    @Test
    void platformPackagesAreParentFirstAndTheRestPluginFirst() throws Exception {
        // A jar carrying private copies of platform classes (PluginJars would reject it; here we load it raw),
        // a copy of a library the platform also has but does not share (picocli), and a class of its own.
        Path jar = PluginJarBuilder.plugin("raw")
                .java("ai.djl.Device", "package ai.djl; public class Device { public static String copy() { return \"plugin\"; } }")
                .java("io.sslseg.api.loss.LossContext", "package io.sslseg.api.loss; public class LossContext {}")
                .java("picocli.CommandLine", "package picocli; public class CommandLine {}")
                .java("test.raw.Own", "package test.raw; public class Own {}")
                .build(dir);
        JarPluginManager manager = new JarPluginManager(dir);
        DefaultPluginDescriptor descriptor = new DefaultPluginDescriptor("raw", "", null, "1.0.0", "", "", "");
        try (PlatformClassLoader loader = new PlatformClassLoader(manager, descriptor, getClass().getClassLoader())) {
            loader.addFile(jar.toFile());

            assertSame(ai.djl.Device.class, loader.loadClass("ai.djl.Device"));
            assertSame(LossContext.class, loader.loadClass("io.sslseg.api.loss.LossContext"));

            Class<?> picocli = loader.loadClass("picocli.CommandLine");
            assertNotSame(picocli.CommandLine.class, picocli);
            assertSame(loader, picocli.getClassLoader());

            assertSame(loader, loader.loadClass("test.raw.Own").getClassLoader());
            assertSame(String.class, loader.loadClass("java.lang.String"));
        }
    }
}
