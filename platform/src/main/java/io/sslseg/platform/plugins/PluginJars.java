package io.sslseg.platform.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;

/**
 * Checks a plugin jar before PF4J sees it: readable, with a plugin manifest, and carrying only its own
 * classes. The same check runs at build time on the distribution (see {@code main}).
 */
public final class PluginJars {
    /** Packages that must come from the platform; a private copy breaks DJL's native loading and Guice wiring. */
    static final List<String> PLATFORM_PACKAGES = List.of(
            "ai/djl/", "com/google/inject/", "com/google/common/", "jakarta/inject/", "javax/inject/",
            "org/slf4j/", "ch/qos/logback/", "org/pf4j/", "io/sslseg/api/", "io/sslseg/platform/");

    private PluginJars() {}

    /** What a jar's manifest says about it. */
    public record Manifested(String id, String version, String requires) {}

    /** A jar that cannot be used as a plugin; {@link #pluginId()} is its manifest's id when it has one. */
    public static final class RejectedJar extends IOException {
        private final String pluginId;

        RejectedJar(String pluginId, String message) {
            super(message);
            this.pluginId = pluginId;
        }

        /** @return the jar's Plugin-Id, or null when the manifest names none */
        public String pluginId() {
            return pluginId;
        }
    }

    /** @return the manifest's plugin entries; throws {@link IOException} with the reason when unusable */
    public static Manifested inspect(Path jar) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile(), true)) {
            Manifest mf = jf.getManifest();
            Attributes a = mf == null ? null : mf.getMainAttributes();
            String id = a == null ? null : a.getValue("Plugin-Id");
            if (id == null || id.isBlank()) {
                throw new IOException("no Plugin-Id in META-INF/MANIFEST.MF: not an sslseg plugin jar");
            }
            List<String> bundled = new ArrayList<>();
            Enumeration<? extends ZipEntry> en = jf.entries();
            while (en.hasMoreElements()) {
                String name = en.nextElement().getName();
                for (String p : PLATFORM_PACKAGES) {
                    if (name.startsWith(p) && name.endsWith(".class") && !bundled.contains(p)) {
                        bundled.add(p);
                    }
                }
            }
            if (!bundled.isEmpty()) {
                throw new RejectedJar(id.trim(), "bundles classes of " + String.join(", ", bundled)
                        + " which must come from the platform; declare those dependencies 'provided'");
            }
            return new Manifested(id.trim(), trim(a.getValue("Plugin-Version")), trim(a.getValue("Plugin-Requires")));
        } catch (ZipException e) {
            throw new IOException("unreadable jar: " + e.getMessage(), e);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException("unreadable jar: " + e.getMessage(), e);
        }
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStreamSink.INSTANCE);
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }

    /** Build-time guard: {@code java PluginJars DIR} exits 1 if any jar in DIR bundles platform classes. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: PluginJars PLUGINS_DIR");
            System.exit(2);
        }
        int bad = 0;
        try (var files = Files.list(Path.of(args[0]))) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                try {
                    inspect(jar);
                } catch (IOException e) {
                    System.err.println("sslseg: plugin jar " + jar + ": " + e.getMessage());
                    bad++;
                }
            }
        }
        if (bad > 0) {
            System.exit(1);
        }
    }
}
