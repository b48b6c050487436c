package io.sslseg.plugins.tempens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.AugmentView;
import io.sslseg.api.data.SampleList;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpointed memory: a snapshot at the checkpoint's step, restored bit for bit; its retention; refusals of a
 * missing, corrupt or mismatching snapshot; and a fresh term ignoring a stale live file.
 */
class MemoryResumeTest {
    private static final int CLASSES = 3;
    /** 7 images of 5 x 4; the 4 px crops are 4 x 4 logits: storage 5 x 4, 120 bytes a record. */
    private static final SampleList IMAGES = Fixtures.images("u", 7, 5, 4);
    /** Two records per mapping: the 7 records span 4 mapped chunks. */
    private static final long CHUNK = 250;
    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static TemporalEnsemblingTerm term(Path dir, double alpha) {
        return new TemporalEnsemblingTerm(Fixtures.params(alpha, 30, true, 0.4),
                Fixtures.context(CLASSES, 100, 3, IMAGES, dir), CHUNK);
    }

    /** Step {@code it}'s batch: two images, random crop offsets (some into the padding) and flips, random logits. */
    private static Fixtures.Step batch(NDManager m, long it) {
        Random r = new Random(1000 + it);
        List<String> ids = new ArrayList<>();
        List<AugmentView> views = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ids.add("u_" + r.nextInt(7));
            views.add(new AugmentView(5, 4, 5, 4, r.nextInt(3), 0, r.nextBoolean(), 4));
        }
        float[] logits = new float[2 * CLASSES * 16];
        for (int k = 0; k < logits.length; k++) {
            logits[k] = (float) (2 * r.nextGaussian());
        }
        return new Fixtures.Step(m, m.create(logits, new Shape(2, CLASSES, 4, 4)), ids, views, it, 100);
    }

    /** Runs steps [from, to) and returns what each logged as loss_te. */
    private static List<Double> run(TemporalEnsemblingTerm t, long from, long to) {
        List<Double> losses = new ArrayList<>();
        for (long it = from; it < to; it++) {
            try (NDManager sm = manager.newSubManager()) {
                Fixtures.Step s = batch(sm, it);
                t.compute(s);
                losses.add(s.logged.get("loss_te"));
            }
        }
        return losses;
    }

    private static Path snapshot(Path dir, long step) {
        return dir.resolve(String.format("memory-step%010d.f16", step));
    }

    @Test
    void aResumedTermReplaysToTheSameBytes(@TempDir Path dir) throws IOException {
        TemporalEnsemblingTerm a = term(dir, 0.6);
        run(a, 0, 3);
        assertEquals(4, a.memory().chunkCount(), "7 records of 120 bytes in chunks of 2");
        byte[] at3 = a.memory().records();
        byte[] state = Fixtures.save(a);
        assertTrue(Files.isRegularFile(snapshot(dir, 3)));
        assertEquals(PredictionMemory.HEADER_BYTES + 7 * 120, Files.size(snapshot(dir, 3)));
        List<Double> lossesA = run(a, 3, 9);
        byte[] at9 = a.memory().records();
        assertFalse(java.util.Arrays.equals(at3, at9), "the steps after the checkpoint changed the memory");

        TemporalEnsemblingTerm b = term(dir, 0.6);
        assertNull(b.memory());
        Fixtures.load(b, state);
        assertArrayEquals(at3, b.memory().records(), "restored to the checkpoint's step, not the live file's");
        List<Double> lossesB = run(b, 3, 9);
        assertArrayEquals(at9, b.memory().records(), "bit-exact after replaying the same steps");
        assertEquals(lossesA, lossesB);
        assertTrue(lossesA.get(lossesA.size() - 1) > 0);
    }

    @Test
    void keepsThePreviousSnapshotAndDeletesOlderOnes(@TempDir Path dir) throws IOException {
        TemporalEnsemblingTerm a = term(dir, 0.6);
        run(a, 0, 2);
        Fixtures.save(a);
        run(a, 2, 4);
        byte[] state4 = Fixtures.save(a);
        run(a, 4, 6);
        Files.writeString(dir.resolve("memory-step0000000005.f16.tmp"), "left by a crash");
        byte[] state6 = Fixtures.save(a);
        assertFalse(Files.exists(snapshot(dir, 2)), "two checkpoints ago: deleted");
        assertTrue(Files.exists(snapshot(dir, 4)), "the checkpoint on disk may still name it until the rename");
        assertTrue(Files.exists(snapshot(dir, 6)));
        assertFalse(Files.exists(dir.resolve("memory-step0000000005.f16.tmp")));

        // a checkpoint written before the last one still resumes
        TemporalEnsemblingTerm b = term(dir, 0.6);
        Fixtures.load(b, state4);
        run(b, 4, 6);
        TemporalEnsemblingTerm c = term(dir, 0.6);
        Fixtures.load(c, state6);
        assertArrayEquals(c.memory().records(), b.memory().records());
        // after a resume from step 4, its next checkpoint keeps 4 (what latest names) and the new one
        run(b, 6, 8);
        Fixtures.save(b);
        assertTrue(Files.exists(snapshot(dir, 4)));
        assertTrue(Files.exists(snapshot(dir, 8)));
        assertFalse(Files.exists(snapshot(dir, 6)));
    }

    @Test
    void aMissingOrCorruptSnapshotIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        TemporalEnsemblingTerm a = term(dir, 0.6);
        run(a, 0, 3);
        byte[] state = Fixtures.save(a);
        Path file = snapshot(dir, 3);
        byte[] good = Files.readAllBytes(file);

        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (good[300] ^ 0x10)}), 300);
        }
        SslsegException e = assertThrows(SslsegException.class, () -> Fixtures.load(term(dir, 0.6), state));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("corrupt"), e.getMessage());

        Files.write(file, java.util.Arrays.copyOf(good, good.length - 10));
        e = assertThrows(SslsegException.class, () -> Fixtures.load(term(dir, 0.6), state));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        Files.write(file, good);
        e = assertThrows(SslsegException.class, () -> Fixtures.load(term(dir, 0.5), state));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("alpha 0.5"), e.getMessage());

        Files.delete(file);
        e = assertThrows(SslsegException.class, () -> Fixtures.load(term(dir, 0.6), state));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("missing")
                && e.getMessage().contains("test.ckpt"), e.getMessage());
    }

    @Test
    void aFreshRunStartsFromZerosDespiteAStaleLiveFile(@TempDir Path dir, @TempDir Path clean) {
        TemporalEnsemblingTerm old = term(dir, 0.6);
        run(old, 0, 5);
        assertTrue(Files.exists(dir.resolve(TemporalEnsemblingTerm.LIVE)));
        TemporalEnsemblingTerm fresh = term(dir, 0.6);
        run(fresh, 0, 1);
        TemporalEnsemblingTerm reference = term(clean, 0.6);
        run(reference, 0, 1);
        assertArrayEquals(reference.memory().records(), fresh.memory().records());
    }
}
