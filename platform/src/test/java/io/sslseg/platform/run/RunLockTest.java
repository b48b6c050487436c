package io.sslseg.platform.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.api.SslsegException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One process per run folder, with real processes: the holder is named, and a lock of a killed process never blocks. */
class RunLockTest {

    /** Holds the lock of the folder in args[0] until killed. */
    public static final class Holder {
        public static void main(String[] args) throws InterruptedException {
            RunLock lock = RunLock.acquire(Path.of(args[0]));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(600_000);
            lock.close();
        }
    }

    @Test
    void anotherProcessIsRefusedNamingTheHolderAndAKilledHolderNeverBlocks(@TempDir Path tmp) throws Exception {
        RunFolder folder = RunFolder.create(tmp.resolve("run"));
        folder.writeConfig("name: x\n");
        Process holder = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), folder.dir().toString()))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            assertTrue(RunLock.isHeld(folder.dir()));
            assertEquals("running", folder.liveStatus(), "a live holder: the run is running");
            SslsegException e = assertThrows(SslsegException.class, () -> RunLock.acquire(folder.dir()));
            assertTrue(e.getMessage().contains("in use by another sslseg process (PID " + holder.pid() + ")"), e.getMessage());
        } finally {
            holder.destroyForcibly(); // kill -9: no chance to clean up
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        assertFalse(RunLock.isHeld(folder.dir()), "the OS dropped the dead process's lock");
        assertTrue(folder.liveStatus().startsWith("crashed (its status says running, but no process holds the run;"),
                folder.liveStatus());
        try (RunLock mine = RunLock.acquire(folder.dir())) {
            assertTrue(RunLock.isHeld(folder.dir()));
            SslsegException e = assertThrows(SslsegException.class, () -> RunLock.acquire(folder.dir()));
            assertTrue(e.getMessage().contains("in use by this process"), e.getMessage());
        }
        assertFalse(RunLock.isHeld(folder.dir()));
    }

    @Test
    void aNewRunFolderIsFreeWithOnlyAStaleLockFileInIt(@TempDir Path tmp) {
        Path dir = tmp.resolve("run");
        RunFolder.lockNew(dir).close(); // an earlier attempt that stopped before writing anything
        try (RunLock lock = RunFolder.lockNew(dir)) {
            RunFolder.create(dir).writeConfig("name: x\n");
        }
        SslsegException e = assertThrows(SslsegException.class, () -> RunFolder.lockNew(dir));
        assertTrue(e.getMessage().contains("already exists; continue it with --resume"), e.getMessage());
        assertFalse(RunLock.isHeld(dir), "a refused lockNew lets the lock go");
    }
}
