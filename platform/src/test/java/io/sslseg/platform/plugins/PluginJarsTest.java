package io.sslseg.platform.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.testkit.PluginJarBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar check that runs before PF4J sees a jar, and as the distribution's build-time guard. */
class PluginJarsTest {
    private static final byte[] DUMMY_CLASS = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE};

    @TempDir
    static Path dir;

    static Path good;

    @BeforeAll
    static void buildGood() {
        good = TestPlugins.lossPlugin("jar-good", "test.jargood", "jar-good-loss").build(dir.resolve("good"));
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "'" + p + "' not in: " + message);
        }
    }

    @Test
    void aGoodJarReportsItsManifest() throws IOException {
        PluginJars.Manifested m = PluginJars.inspect(good);
        assertEquals(new PluginJars.Manifested("jar-good", "1.0.0", PluginJarBuilder.currentApiRange()), m);
        assertEquals(">=0.2.0 & <0.3.0", m.requires());
    }

    @Test
    void theBuiltJarCarriesTheExtensionIndexWrittenByPf4j() throws IOException {
        try (var jf = new java.util.jar.JarFile(good.toFile())) {
            var idx = jf.getEntry("META-INF/extensions.idx");
            assertTrue(idx != null, "PF4J's annotation processor wrote no META-INF/extensions.idx");
            String text = new String(jf.getInputStream(idx).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.lines().anyMatch("test.jargood.LossModule"::equals), text);
            assertTrue(jf.getEntry("test/jargood/ScaledLoss$Params.class") != null);
        }
    }

    @Test
    void bundledPlatformClassesAreNamedByPackage() {
        Path jar = TestPlugins.lossPlugin("fat", "test.fat", "fat-loss")
                .entry("ai/djl/nn/Block.class", DUMMY_CLASS)
                .entry("ai/djl/ndarray/NDArray.class", DUMMY_CLASS)
                .entry("org/slf4j/Logger.class", DUMMY_CLASS)
                .build(dir.resolve("fat"));
        IOException e = assertThrows(IOException.class, () -> PluginJars.inspect(jar));
        PluginJars.RejectedJar r = assertInstanceOf(PluginJars.RejectedJar.class, e);
        assertEquals("fat", r.pluginId());
        assertEquals("bundles classes of ai/djl/, org/slf4j/ which must come from the platform; "
                + "declare those dependencies 'provided'", e.getMessage());
    }

    @Test
    void everyPlatformPackageIsGuarded() {
        for (String pkg : List.of("ai/djl/", "com/google/inject/", "com/google/common/", "jakarta/inject/",
                "org/slf4j/", "org/pf4j/", "io/sslseg/api/", "io/sslseg/platform/")) {
            Path jar = PluginJarBuilder.plugin("p").entry(pkg + "X.class", DUMMY_CLASS)
                    .build(dir.resolve("pkg-" + pkg.replace('/', '_')));
            IOException e = assertThrows(IOException.class, () -> PluginJars.inspect(jar), pkg);
            assertMentions(e.getMessage(), "bundles classes of " + pkg);
        }
    }

    @Test
    void resourcesAndLookAlikePackagesAreNotPlatformClasses() throws IOException {
        Path jar = TestPlugins.lossPlugin("lookalike", "test.lookalike", "lookalike-loss")
                .entry("ai/djl/README.txt", "not a class")
                .entry("ai/djlx/Other.class", DUMMY_CLASS)
                .build(dir.resolve("lookalike"));
        assertEquals("lookalike", PluginJars.inspect(jar).id());
    }

    @Test
    void unreadableJarsAndJarsWithoutPluginIdAreRejected() throws IOException {
        Path random = PluginJarBuilder.randomBytesJar(dir.resolve("bad"), "random.jar", 2000, 7);
        IOException e = assertThrows(IOException.class, () -> PluginJars.inspect(random));
        assertMentions(e.getMessage(), "unreadable jar");

        Path truncated = PluginJarBuilder.truncatedCopy(good, dir.resolve("bad/truncated.jar"), 0.5);
        e = assertThrows(IOException.class, () -> PluginJars.inspect(truncated));
        assertMentions(e.getMessage(), "unreadable jar");

        Path empty = Files.write(dir.resolve("bad/empty.jar"), new byte[0]);
        e = assertThrows(IOException.class, () -> PluginJars.inspect(empty));
        assertMentions(e.getMessage(), "unreadable jar");

        Path noId = PluginJarBuilder.plainJar("plain.jar").entry("a/B.class", DUMMY_CLASS).build(dir.resolve("bad"));
        e = assertThrows(IOException.class, () -> PluginJars.inspect(noId));
        assertEquals("no Plugin-Id in META-INF/MANIFEST.MF: not an sslseg plugin jar", e.getMessage());
        assertNull(e instanceof PluginJars.RejectedJar r ? r.pluginId() : null);

        Path noManifest = dir.resolve("bad/no-manifest.jar");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(noManifest))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("a/B.class"));
            zip.write(DUMMY_CLASS);
        }
        e = assertThrows(IOException.class, () -> PluginJars.inspect(noManifest));
        assertMentions(e.getMessage(), "no Plugin-Id");
    }

    @Test
    void sha256IsTheFilesDigest() throws Exception {
        Path f = Files.writeString(dir.resolve("abc.txt"), "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", PluginJars.sha256(f));
    }

    /** {@code java PluginJars DIR}, as the distribution build runs it: exit code and stderr. */
    private static Map.Entry<Integer, String> runGuard(Path folder) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PluginJars.class.getName(), folder.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "guard did not finish");
        return Map.entry(p.exitValue(), err);
    }

    @Test
    void theBuildTimeGuardFailsOnABadJarAndPassesAGoodFolder() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("dist-plugins"));
        Files.copy(good, folder.resolve("jar-good.jar"));
        PluginJarBuilder.plugin("fat-guice").entry("com/google/inject/Injector.class", DUMMY_CLASS).build(folder);
        Files.writeString(folder.resolve("notes.txt"), "not a jar, ignored");

        Map.Entry<Integer, String> bad = runGuard(folder);
        assertEquals(1, bad.getKey(), bad.getValue());
        assertMentions(bad.getValue(), "sslseg: plugin jar " + folder.resolve("fat-guice.jar"),
                "bundles classes of com/google/inject/");
        assertTrue(bad.getValue().lines().noneMatch(l -> l.contains("jar-good.jar")), bad.getValue());

        Files.delete(folder.resolve("fat-guice.jar"));
        Map.Entry<Integer, String> ok = runGuard(folder);
        assertEquals(0, ok.getKey(), ok.getValue());
        assertTrue(ok.getValue().isBlank(), ok.getValue());
    }

    @Test
    void theClassPathTheGuardAndCompilerUseIsTheRealOne() {
        String cp = System.getProperty("java.class.path");
        assertTrue(List.of(cp.split(File.pathSeparator)).stream().anyMatch(e -> e.contains("guice")), cp);
    }
}
