package io.sslseg.paramdocs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The processor inside a real javac run, and its parsing of @param blocks. */
class ParamDocsProcessorTest {
    @Test
    void paramBlocksBecomeOneLineEach() {
        Map<String, String> docs = ParamDocsProcessor.params("""
                 Parameters of {@code unet}.

                 @param width channels of the full-resolution level; each level below has twice
                     its upper neighbour's
                 @param levels levels of the path ({@code 4} by default)
                 @throws IllegalArgumentException never
                 @param convs
                """);
        assertEquals(Map.of("width", "channels of the full-resolution level; each level below has twice its upper"
                + " neighbour's", "levels", "levels of the path (4 by default)", "convs", ""), docs);
        assertEquals(List.of("width", "levels", "convs"), List.copyOf(docs.keySet()), "in order");
        assertTrue(ParamDocsProcessor.params(null).isEmpty());
    }

    @Test
    void javacWritesTheResourceBesideTheRecordAndItsNestedOnes(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/p"));
        Files.writeString(src.resolve("Outer.java"), """
                package p;
                /**
                 * A record.
                 * @param width how wide
                 * @param depth how deep, over
                 *     two lines
                 */
                public record Outer(int width, int depth) {
                    /** @param x the inner one */
                    public record Inner(int x) {}
                    /** No params here. */
                    public record Bare(int y) {}
                }
                """);
        Path out = Files.createDirectories(tmp.resolve("out"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int code = javac.run(null, null, null, "-d", out.toString(), "-processor", ParamDocsProcessor.class.getName(),
                "-processorpath", System.getProperty("java.class.path"), src.resolve("Outer.java").toString());
        assertEquals(0, code);
        assertEquals("how deep, over two lines", load(out.resolve("p/Outer.paramdocs")).getProperty("depth"));
        assertEquals("how wide", load(out.resolve("p/Outer.paramdocs")).getProperty("width"));
        assertEquals("the inner one", load(out.resolve("p/Outer$Inner.paramdocs")).getProperty("x"));
        assertTrue(Files.notExists(out.resolve("p/Outer$Bare.paramdocs")), "nothing for a record without @param");
    }

    private static Properties load(Path file) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
