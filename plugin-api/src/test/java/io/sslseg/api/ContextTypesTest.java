package io.sslseg.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every context type the API hands to a component (names ending in {@code Context}) can grow without breaking a plugin
 * compiled against this version: none is a record (a record's canonical constructor and its equality change with every
 * new field), so new facts arrive as new accessors, constructors or builder methods.
 */
class ContextTypesTest {
    @Test
    void noContextTypeIsARecord() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(ApiVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.map(p -> classes.relativize(p).toString())
                    .filter(n -> n.endsWith("Context.class") && !n.contains("$"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
        assertTrue(names.size() >= 8, "found only " + names);
        for (String name : names) {
            assertFalse(Class.forName(name).isRecord(), name + " is a record: a new field would break plugins");
        }
    }
}
