package io.sslseg.testkit;

import io.sslseg.api.ApiVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds a real plugin jar at test time, the way the plugins' Maven build does: Java sources compiled
 * against the test's own class path (plugin API, DJL, Guice, PF4J are there, as 'provided' deps are for a
 * real plugin) with PF4J's annotation processor on, so {@code META-INF/extensions.idx} lists the
 * {@code @Extension} classes; then classes, resources and a manifest with {@code Plugin-Id},
 * {@code Plugin-Version} and {@code Plugin-Requires} go into a plain jar.
 *
 * <pre>{@code
 * Path jar = PluginJarBuilder.plugin("my-encoder")
 *         .java("test.enc.MyModule", PluginJarBuilder.moduleSource("test.enc.MyModule",
 *                 "Components.register(binder(), Components.ENCODER, \"tiny\").toInstance(new test.enc.Tiny());"))
 *         .java("test.enc.Tiny", "package test.enc; ...")
 *         .build(pluginsDir);
 * }</pre>
 *
 * Sources only need the packages they use; {@link #moduleSource} writes the usual {@code @Extension}
 * module. Compilation errors fail with javac's diagnostics.
 */
public final class PluginJarBuilder {
    /** The annotation processor that writes {@code META-INF/extensions.idx}. */
    public static final String PF4J_PROCESSOR = "org.pf4j.processor.ExtensionAnnotationProcessor";

    private final Map<String, String> manifest = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private final List<Path> extraClassPath = new ArrayList<>();
    private boolean annotationProcessing = true;
    private String fileName;

    private PluginJarBuilder() {}

    /** A plugin jar with id, version 1.0.0 and a Plugin-Requires range this platform accepts. */
    public static PluginJarBuilder plugin(String id) {
        return new PluginJarBuilder()
                .manifest("Plugin-Id", id)
                .manifest("Plugin-Version", "1.0.0")
                .manifest("Plugin-Requires", currentApiRange())
                .fileName(id + ".jar");
    }

    /** A jar with no plugin manifest entries at all (only {@code Manifest-Version}). */
    public static PluginJarBuilder plainJar(String fileName) {
        return new PluginJarBuilder().fileName(fileName);
    }

    /** The range the real plugins declare: {@code >=M.m.0 & <M.(m+1).0} around {@link ApiVersion#VERSION}. */
    public static String currentApiRange() {
        String[] v = ApiVersion.VERSION.split("[.-]");
        int major = Integer.parseInt(v[0]);
        int minor = Integer.parseInt(v[1]);
        return ">=" + major + "." + minor + ".0 & <" + major + "." + (minor + 1) + ".0";
    }

    /**
     * Source of an {@code @Extension} Guice module (an {@code SslsegModule}) whose {@code configure()} body
     * is {@code configureBody}; {@code io.sslseg.api.Components} and the API's model, loss and data packages
     * are imported.
     */
    public static String moduleSource(String qualifiedName, String configureBody) {
        int dot = qualifiedName.lastIndexOf('.');
        String pkg = dot < 0 ? "" : "package " + qualifiedName.substring(0, dot) + ";\n\n";
        String simple = qualifiedName.substring(dot + 1);
        return pkg
                + "import io.sslseg.api.Components;\n"
                + "import io.sslseg.api.SslsegModule;\n"
                + "import io.sslseg.api.data.*;\n"
                + "import io.sslseg.api.loss.*;\n"
                + "import io.sslseg.api.model.*;\n"
                + "\n"
                + "@org.pf4j.Extension\n"
                + "public class " + simple + " extends com.google.inject.AbstractModule implements SslsegModule {\n"
                + "    @Override\n"
                + "    protected void configure() {\n"
                + "        " + configureBody + "\n"
                + "    }\n"
                + "}\n";
    }

    /** Sets a manifest main attribute; {@code null} removes it (e.g. {@code manifest("Plugin-Id", null)}). */
    public PluginJarBuilder manifest(String name, String value) {
        if (value == null) {
            manifest.remove(name);
        } else {
            manifest.put(name, value);
        }
        return this;
    }

    public PluginJarBuilder version(String version) {
        return manifest("Plugin-Version", version);
    }

    /** The plugin-API range; {@code null} leaves {@code Plugin-Requires} out. */
    public PluginJarBuilder requires(String range) {
        return manifest("Plugin-Requires", range);
    }

    /** The jar's file name in the target folder (default {@code <id>.jar}). */
    public PluginJarBuilder fileName(String name) {
        this.fileName = name;
        return this;
    }

    /** A Java compilation unit; {@code qualifiedName} is its public top-level class. */
    public PluginJarBuilder java(String qualifiedName, String source) {
        sources.put(qualifiedName, source);
        return this;
    }

    /** A raw entry (a resource, or e.g. a dummy {@code ai/djl/Foo.class} to model a bundled library). */
    public PluginJarBuilder entry(String path, byte[] bytes) {
        entries.put(path, bytes);
        return this;
    }

    public PluginJarBuilder entry(String path, String text) {
        return entry(path, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Another class path entry for compiling (e.g. a jar of a plugin this one depends on). */
    public PluginJarBuilder classPath(Path jarOrFolder) {
        extraClassPath.add(jarOrFolder);
        return this;
    }

    /** Off: no {@code META-INF/extensions.idx} is written (a plugin whose build forgot the processor). */
    public PluginJarBuilder annotationProcessing(boolean on) {
        this.annotationProcessing = on;
        return this;
    }

    /** Compiles, packages and writes the jar into {@code dir}; returns its path. */
    public Path build(Path dir) {
        try {
            Files.createDirectories(dir);
            Path jar = dir.resolve(fileName != null ? fileName : "plugin.jar");
            Map<String, byte[]> content = new TreeMap<>(compile());
            content.putAll(entries);
            writeJar(jar, manifest, content);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles the sources; returns every file javac and the annotation processors wrote, by jar path. */
    public Map<String, byte[]> compile() throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        if (sources.isEmpty()) {
            return out;
        }
        Path work = Files.createTempDirectory("sslseg-plugin-build");
        try {
            Path src = Files.createDirectories(work.resolve("src"));
            Path classes = Files.createDirectories(work.resolve("classes"));
            List<Path> files = new ArrayList<>();
            for (Map.Entry<String, String> s : sources.entrySet()) {
                Path f = src.resolve(s.getKey().replace('.', '/') + ".java");
                Files.createDirectories(f.getParent());
                Files.writeString(f, s.getValue());
                files.add(f);
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac == null) {
                throw new IllegalStateException("no system Java compiler: the tests need a JDK, not a JRE");
            }
            List<String> options = new ArrayList<>(List.of(
                    "--release", "17", "-encoding", "UTF-8", "-d", classes.toString(),
                    "-classpath", classPath(), "-implicit:none", "-Xlint:none"));
            if (annotationProcessing) {
                options.addAll(List.of("-processor", PF4J_PROCESSOR));
            } else {
                options.add("-proc:none");
            }
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            StringWriter log = new StringWriter();
            try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
                boolean ok = javac.getTask(log, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
                if (!ok) {
                    StringBuilder msg = new StringBuilder("plugin sources do not compile:\n");
                    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                        if (d.getKind() == Diagnostic.Kind.ERROR) {
                            msg.append(d.getSource() == null ? "" : d.getSource().getName()).append(':')
                                    .append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
                        }
                    }
                    throw new IllegalStateException(msg.append(log).toString());
                }
            }
            try (Stream<Path> walk = Files.walk(classes)) {
                for (Path f : walk.filter(Files::isRegularFile).toList()) {
                    out.put(classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
            return out;
        } finally {
            deleteTree(work);
        }
    }

    private String classPath() {
        List<String> cp = new ArrayList<>(List.of(System.getProperty("java.class.path")));
        extraClassPath.forEach(p -> cp.add(p.toString()));
        return String.join(java.io.File.pathSeparator, cp);
    }

    /** Writes a jar: a manifest (with {@code Manifest-Version}) plus the given entries in order. */
    public static void writeJar(Path jar, Map<String, String> mainAttributes, Map<String, byte[]> content)
            throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mainAttributes.forEach((k, v) -> a.put(new Attributes.Name(k), v));
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(os, mf)) {
            for (Map.Entry<String, byte[]> e : content.entrySet()) {
                jos.putNextEntry(new JarEntry(e.getKey()));
                jos.write(e.getValue());
                jos.closeEntry();
            }
        }
    }

    /** A file named like a jar holding {@code size} random bytes. */
    public static Path randomBytesJar(Path dir, String fileName, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Files.createDirectories(dir);
        return Files.write(dir.resolve(fileName), bytes);
    }

    /** A copy of {@code jar} cut to its first {@code keepFraction} of bytes (a half-copied download). */
    public static Path truncatedCopy(Path jar, Path target, double keepFraction) throws IOException {
        byte[] bytes = Files.readAllBytes(jar);
        int keep = (int) Math.max(1, Math.min(bytes.length - 1, Math.round(bytes.length * keepFraction)));
        Files.createDirectories(target.toAbsolutePath().getParent());
        return Files.write(target, java.util.Arrays.copyOf(bytes, keep));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
