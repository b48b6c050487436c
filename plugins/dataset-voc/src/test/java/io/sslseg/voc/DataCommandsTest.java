package io.sslseg.voc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.api.Progress;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.voc.VocImages;
import io.sslseg.fashionscenes.FashionScenesModule;
import io.sslseg.platform.cli.BenchDataCommand;
import io.sslseg.platform.cli.DataCommand;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.plugins.PluginSystem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sslseg data generate | validate} and {@code bench data} on the two dataset components. */
class DataCommandsTest {
    @TempDir
    static Path dir;
    static ComponentCatalog catalog;
    static Path generated;

    @BeforeAll
    static void generate() throws Exception {
        Path noPlugins = Files.createDirectories(dir.resolve("plugins"));
        catalog = PluginSystem.load(noPlugins, List.of(new FashionScenesModule(), new VocModule())).catalog();
        generated = dir.resolve("fs");
        StringBuilder out = new StringBuilder();
        int code = run(new DataCommand.Generate(), out, "fashion-scenes", "--out", generated.toString(), "--train", "120",
                "--val", "24", "--seed", "11", "--set", "source=embedded");
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("dataset: fashion-scenes v1 seed=11 size=64 train=120 val=24 labeled=120"),
                out.toString());
    }

    @Test
    void generatedFolderValidates() throws Exception {
        StringBuilder out = new StringBuilder();
        int code = run(new DataCommand.Validate(), out, generated.toString(), "--set", "labeled=100", "--set", "weak=true");
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("labeled: 100 images (labeled_100.txt)"), out.toString());
        assertTrue(out.toString().contains("weak: 20 images"), out.toString());
        assertTrue(out.toString().contains("dataset is usable"), out.toString());
    }

    @Test
    void brokenFolderExitsNonZeroNamingTheFile() throws Exception {
        Path broken = dir.resolve("broken");
        try (var files = Files.walk(generated)) {
            for (Path p : files.toList()) {
                Files.copy(p, broken.resolve(generated.relativize(p).toString()));
            }
        }
        Path mask = broken.resolve("SegmentationClass/val_00003.png");
        VocImages.writeMask(mask, new LabelMask(64, 32, new byte[64 * 32]));
        StringBuilder out = new StringBuilder();
        int code = run(new DataCommand.Validate(), out, broken.toString());
        assertEquals(1, code, out.toString());
        assertTrue(out.toString().contains("error: " + mask + ": mask is 64x32 but its image"), out.toString());
        assertTrue(out.toString().contains("dataset is NOT usable: 1 errors"), out.toString());
    }

    @Test
    void benchPrintsATable() throws Exception {
        StringBuilder out = new StringBuilder();
        int code = run(new BenchDataCommand(), out, "--dataset", "voc", "--set", "root=" + generated, "--batches", "3",
                "--batch", "4");
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("no prefetch"), out.toString());
        assertTrue(out.toString().contains("prefetch "), out.toString());
    }

    /** Parses the arguments into the command as picocli would, then runs its core with our catalog. */
    private static int run(Object command, StringBuilder output, String... args) throws Exception {
        new CommandLine(command).parseArgs(args);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            int code;
            if (command instanceof DataCommand.Generate g) {
                code = g.run(catalog, out, Progress.NONE);
            } else if (command instanceof DataCommand.Validate v) {
                code = v.run(catalog, out, Progress.NONE);
            } else {
                code = ((BenchDataCommand) command).run(catalog, out);
            }
            output.append(bytes.toString(StandardCharsets.UTF_8));
            return code;
        }
    }
}
