package io.sslseg.platform.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.SslsegException;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.testkit.TestPlatform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints changed or cut short after they were written are refused, named, before a parameter is touched; a
 * resume whose latest checkpoint is damaged continues exactly from the one before it.
 */
class CheckpointIntegrityTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static ComponentCatalog catalog;

    @BeforeAll
    static void platform() {
        catalog = TestPlatform.catalog();
    }

    @Test
    void aFlippedByteOrACutAnywhereIsRefusedNamingTheFile(@TempDir Path tmp) throws IOException {
        Experiment exp = Experiment.resolve(TestPlatform.tinyRun(), catalog, tmp);
        Path file = tmp.resolve("net.ckpt");
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SegmentationNet net = exp.buildNet(m, Device.cpu());
            Checkpoint.save(file, net, new Checkpoint.State(7, 0.5, 7));
            assertEquals(7, Checkpoint.load(file, m, List.of(net), null).step(), "an intact file loads");
            byte[] good = Files.readAllBytes(file);
            // the header, a parameter in the middle, the last byte of the digest
            for (int at : new int[] {30, good.length / 2, good.length - 1}) {
                byte[] bad = good.clone();
                bad[at] ^= 0x10;
                Files.write(file, bad);
                SslsegException e = assertThrows(SslsegException.class, () -> Checkpoint.load(file, m, List.of(net), null));
                assertTrue(e.getMessage().startsWith(file + ": ") && (e.getMessage().contains("damaged")
                        || e.getMessage().contains("not an sslseg checkpoint")), "byte " + at + ": " + e.getMessage());
            }
            for (int length : new int[] {0, 10, good.length / 3, good.length - 1}) {
                Files.write(file, java.util.Arrays.copyOf(good, length));
                SslsegException e = assertThrows(SslsegException.class, () -> Checkpoint.verify(file));
                assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            }
            Files.write(file, good);
            assertEquals(7, Checkpoint.verify(file));
        }
    }

    @Test
    void aWriteThatFailsLeavesNoTemporaryFileAndTheOldCheckpoint(@TempDir Path tmp) throws IOException {
        Experiment exp = Experiment.resolve(TestPlatform.tinyRun(), catalog, tmp);
        Path file = tmp.resolve("latest.ckpt");
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SegmentationNet net = exp.buildNet(m, Device.cpu());
            Checkpoint.save(file, net, new Checkpoint.State(3, -1, -1));
            byte[] before = Files.readAllBytes(file);
            Files.createDirectory(tmp.resolve("latest.ckpt.tmp")); // the temporary name cannot be written
            assertThrows(SslsegException.class, () -> Checkpoint.save(file, net, new Checkpoint.State(4, -1, -1)));
            assertEquals(java.util.Arrays.hashCode(before), java.util.Arrays.hashCode(Files.readAllBytes(file)));
        }
    }

    @Test
    void aResumeWithADamagedLatestCheckpointContinuesExactlyFromThePreviousOne(@TempDir Path tmp) throws IOException {
        Experiment straight = Experiment.resolve(TestPlatform.tinyRun("train.iterations=30",
                "loss.terms=[{type: counting}]"), catalog, tmp);
        RunFolder a = RunFolder.create(tmp.resolve("a"));
        new TrainingRun(straight, a, QUIET).execute(false);

        // crashes at 25: latest.ckpt is step 20, previous.ckpt step 10
        Experiment crashing = Experiment.resolve(TestPlatform.tinyRun("train.iterations=30", "loss.terms=[{type: counting}]",
                "loss.supervised.type=crash-at", "loss.supervised.atIteration=25"), catalog, tmp);
        RunFolder b = RunFolder.create(tmp.resolve("b"));
        b.writeConfig(crashing.resolvedYaml());
        assertThrows(SslsegException.class, () -> new TrainingRun(crashing, b, QUIET).execute(false));
        Path latest = b.checkpoints().resolve(Checkpoint.LATEST);
        assertEquals(20, Checkpoint.verify(latest));
        assertEquals(10, Checkpoint.verify(b.checkpoints().resolve(Checkpoint.PREVIOUS)));
        byte[] bytes = Files.readAllBytes(latest);
        bytes[bytes.length / 2] ^= 1;
        Files.write(latest, bytes);

        Map<String, Object> tree = ConfigTree.fromYaml(b.readConfig());
        tree.put("loss", Map.of("supervised", Map.of("type", "ce"), "terms", List.of(Map.of("type", "counting"))));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        new TrainingRun(Experiment.resolve(tree, catalog, tmp), RunFolder.open(b.dir()),
                new PrintStream(console, true, StandardCharsets.UTF_8)).execute(true);

        String out = console.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("warning: " + latest + ": damaged checkpoint") && out.contains("kept as latest.ckpt.damaged")
                && out.contains("resuming from " + b.checkpoints().resolve(Checkpoint.PREVIOUS) + " instead")
                && out.contains("at step 10 of 30 (from previous.ckpt)"), out);
        assertTrue(Files.exists(b.checkpoints().resolve("latest.ckpt.damaged")));
        assertEquals("completed", b.status());
        List<Map<?, ?>> ma = RunFolder.readMetrics(a.dir());
        List<Map<?, ?>> mb = RunFolder.readMetrics(b.dir());
        assertEquals(ma.size(), mb.size(), "no metrics line lost or repeated");
        for (int i = 0; i < ma.size(); i++) {
            for (String key : List.of("step", "loss_sup", "miou", "after_backward_calls")) {
                assertEquals(ma.get(i).get(key), mb.get(i).get(key), key + " at line " + i);
            }
        }
    }

    @Test
    void aResumeWithNoIntactCheckpointIsRefusedNamingEach(@TempDir Path tmp) throws IOException {
        Experiment exp = Experiment.resolve(TestPlatform.tinyRun("train.iterations=20"), catalog, tmp);
        RunFolder f = RunFolder.create(tmp.resolve("f"));
        f.writeConfig(exp.resolvedYaml());
        new TrainingRun(exp, f, QUIET).execute(false);
        for (String name : List.of(Checkpoint.LATEST, Checkpoint.PREVIOUS)) {
            Path file = f.checkpoints().resolve(name);
            Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), 100));
        }
        SslsegException e = assertThrows(SslsegException.class,
                () -> new TrainingRun(exp, RunFolder.open(f.dir()), QUIET).execute(true));
        assertTrue(e.getMessage().startsWith("no intact checkpoint to resume from: ")
                && e.getMessage().contains(Checkpoint.LATEST) && e.getMessage().contains(Checkpoint.PREVIOUS), e.getMessage());
        assertFalse(f.status().equals("completed"));
    }
}
