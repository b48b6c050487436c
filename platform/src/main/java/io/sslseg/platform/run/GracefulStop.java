package io.sslseg.platform.run;

import io.sslseg.platform.console.StderrFilter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * While open, a SIGTERM or SIGINT (which start the JVM's shutdown) runs {@code stop} and holds the shutdown until
 * this is closed, at most {@code graceSeconds}: long work ends at a point of its choosing (a step boundary, with a
 * checkpoint) instead of being cut inside libtorch.
 */
public final class GracefulStop implements AutoCloseable {
    /** How long a signal waits for a training step in progress (an evaluation included) before the JVM exits. */
    public static final long TRAINING_GRACE_SECONDS = 300;

    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;

    public GracefulStop(Runnable stop, long graceSeconds) {
        hook = new Thread(() -> {
            stop.run();
            try {
                closed.await(graceSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // the JVM ends when this hook returns: the work's last message must be through bin/sslseg's filter
            System.out.flush();
            StderrFilter.drain();
        }, "sslseg-graceful-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: the count-down above lets it return
        }
    }
}
