package io.sslseg.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.sslseg.api.nn.ScalarOps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * No code of sslseg calls DJL's {@code mul}, {@code div}, {@code pow}, {@code maximum} or {@code minimum} with a Java
 * number: their backward reads memory the garbage collector may already have reused ({@link ScalarOps} explains).
 * The check reads bytecode, so it sees every call however the source spells it: the shipped jars of the
 * assembled distribution, and every module's compiled tests.
 */
class ScalarArithmeticGuardIT {
    private static final Set<String> OPS = Set.of("mul", "div", "pow", "maximum", "minimum");
    private static final String NUMBER_FIRST = "(Ljava/lang/Number;)";
    private static final Path REACTOR = Path.of(System.getProperty("sslseg.reactor", "..")).toAbsolutePath().normalize();

    /** Every call site of a refused op in one class file, as "Class.method (line N): NDArray.op(Number)". */
    static List<String> refusedCalls(InputStream classFile) throws IOException {
        List<String> found = new ArrayList<>();
        ClassReader reader = new ClassReader(classFile);
        String className = reader.getClassName().replace('/', '.');
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    private int line;

                    @Override
                    public void visitLineNumber(int number, Label start) {
                        line = number;
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String op, String desc, boolean isInterface) {
                        if (owner.startsWith("ai/djl/") && OPS.contains(op) && desc.startsWith(NUMBER_FIRST)) {
                            found.add(className + "." + name + " (line " + line + "): NDArray." + op + "(Number)");
                        }
                    }
                };
            }
        }, ClassReader.SKIP_FRAMES);
        return found;
    }

    /** Never run: the scanner's own known positives and negatives. */
    @SuppressWarnings("unused")
    private static final class Offender {
        static NDArray refused(NDArray x) {
            return x.mul(2f).div(2).pow(2).maximum(0f).minimum(1.0);
        }

        static NDArray allowed(NDArray x) {
            return ScalarOps.mul(x, 2).add(1f).sub(1).mul(x).gt(0).toType(x.getDataType(), false);
        }
    }

    @Test
    void theScannerFindsEachRefusedOpAndNothingElse() throws IOException {
        String resource = "/" + Offender.class.getName().replace('.', '/') + ".class";
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            List<String> found = refusedCalls(in);
            assertEquals(5, found.size(), found.toString());
            for (String op : OPS) {
                assertTrue(found.stream().anyMatch(f -> f.contains(".refused (line ") && f.endsWith("." + op + "(Number)")),
                        op + " not found in " + found);
            }
        }
    }

    @Test
    void shippedJarsUseScalarOps() throws IOException {
        List<Path> jars = new ArrayList<>(list(Sslseg.HOME.resolve("lib"), "sslseg-*.jar"));
        jars.addAll(list(Sslseg.HOME.resolve("plugins"), "*.jar"));
        assertTrue(jars.size() >= 10, "expected the platform, the plugin API and the plugins, found " + jars);
        List<String> found = new ArrayList<>();
        int classes = 0;
        for (Path jar : jars) {
            try (JarFile jf = new JarFile(jar.toFile())) {
                for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
                    JarEntry entry = e.nextElement();
                    if (entry.getName().endsWith(".class")) {
                        classes++;
                        try (InputStream in = jf.getInputStream(entry)) {
                            refusedCalls(in).forEach(f -> found.add(jar.getFileName() + ": " + f));
                        }
                    }
                }
            }
        }
        assertTrue(classes > 200, "only " + classes + " classes scanned");
        assertTrue(found.isEmpty(), advice(found));
    }

    @Test
    void testCodeUsesScalarOps() throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (String module : List.of("plugin-api", "platform")) {
            dirs.add(REACTOR.resolve(module).resolve("target/test-classes"));
        }
        for (Path plugin : list(REACTOR.resolve("plugins"), "*")) {
            if (Files.isRegularFile(plugin.resolve("pom.xml"))) {
                dirs.add(plugin.resolve("target/test-classes"));
            }
        }
        List<String> found = new ArrayList<>();
        int classes = 0;
        for (Path dir : dirs) {
            assertTrue(Files.isDirectory(dir), dir + " is missing: build the reactor's tests first");
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    classes++;
                    try (InputStream in = Files.newInputStream(f)) {
                        refusedCalls(in).forEach(x -> found.add(REACTOR.relativize(dir) + ": " + x));
                    }
                }
            }
        }
        assertTrue(classes > 100, "only " + classes + " test classes scanned in " + dirs);
        assertTrue(found.isEmpty(), advice(found));
    }

    private static String advice(List<String> found) {
        return found.size() + " call(s) of DJL arithmetic with a Java number, whose gradient can read reused memory;"
                + " use io.sslseg.api.nn.ScalarOps instead:\n  " + String.join("\n  ", found);
    }

    private static List<Path> list(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }
}
