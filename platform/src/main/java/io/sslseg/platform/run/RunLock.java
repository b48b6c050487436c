package io.sslseg.platform.run;

import io.sslseg.api.SslsegException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One process per run folder: an OS lock on {@code run.lock}, which holds the owner's PID. The operating system
 * drops the lock when its process ends, however it ends (kill -9 included), so a stale lock never blocks; and a
 * folder whose status says {@code running} while nobody holds the lock belongs to a process that died.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = "run.lock";
    /**
     * The lock files this JVM holds. POSIX drops a process's lock when it closes any descriptor of the file, so this
     * JVM never opens a second channel on a lock it holds: it answers from here.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    private static Path key(Path dir) {
        return dir.toAbsolutePath().normalize().resolve(FILE);
    }

    /** Takes the run folder's lock for this process, or fails naming the process that holds it. */
    public static RunLock acquire(Path dir) {
        Path file = key(dir);
        if (!HELD_HERE.add(file)) {
            throw new SslsegException("run folder " + dir + " is in use by this process (PID "
                    + ProcessHandle.current().pid() + "); one run per run folder");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                HELD_HERE.remove(file);
                throw new SslsegException("run folder " + dir + " is in use by another sslseg process" + holder
                        + "; wait for it to end or stop it first (one process per run folder)");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new RunLock(file, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            HELD_HERE.remove(file);
            throw new SslsegException("cannot lock run folder " + dir + " (" + file + "): " + e.getMessage());
        }
    }

    /** Whether a live process holds the folder's lock (false for a folder that never had one). */
    public static boolean isHeld(Path dir) {
        Path file = key(dir);
        if (HELD_HERE.contains(file)) {
            return true;
        }
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (IOException e) {
            return false; // an unreadable lock file protects nothing
        }
    }

    /** null when another process holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            return null;
        }
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            channel.read(buf, 0);
            String pid = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
            return pid.matches("[0-9]+") ? " (PID " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // reporting the first error matters more
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the process ends soon; the OS drops the lock then
        } finally {
            HELD_HERE.remove(file);
        }
    }
}
