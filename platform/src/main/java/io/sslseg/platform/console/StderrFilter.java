package io.sslseg.platform.console;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * bin/sslseg sends the JVM's stderr through a filter process (bin/native-log-filter.pl, which drops libtorch's
 * per-call warnings) and names its PID in {@code sslseg.stderrFilterPid}. Whoever waits for this JVM must find its
 * last stderr lines written when it has exited, so before exiting the JVM lets go of the pipe and waits for the
 * filter to copy what is left and end.
 */
public final class StderrFilter {
    public static final String PID_PROPERTY = "sslseg.stderrFilterPid";
    private static final long WAIT_SECONDS = 5;

    private StderrFilter() {}

    /**
     * Flushes and closes System.err (the JDK points fd 2 at /dev/null then, so late native writes go nowhere) and
     * waits, at most a few seconds, for the filter to end. Without a filter it only flushes.
     */
    public static void drain() {
        System.err.flush();
        String pid = System.getProperty(PID_PROPERTY, "");
        if (!pid.matches("[0-9]{1,18}")) {
            return;
        }
        System.err.close();
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(filter -> {
            try {
                filter.onExit().get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // another process still holds the pipe (a child left running): exit anyway
            }
        });
    }
}
