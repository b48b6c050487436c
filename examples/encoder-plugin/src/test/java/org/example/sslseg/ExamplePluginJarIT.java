package org.example.sslseg;

import io.sslseg.testkit.PluginContract;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The plugin as users get it: the jar `mvn package` built, loaded the way sslseg loads a jar in plugins/ (manifest,
 * its own class loader), and every contract that applies run over every component it registers, ONNX export included.
 */
class ExamplePluginJarIT {
    @TestFactory
    Stream<DynamicTest> theBuiltJarMeetsEveryContract() {
        return PluginContract.forJar(Path.of(System.getProperty("plugin.jar")));
    }
}
