package io.sslseg.platform.console;

import io.sslseg.api.Progress;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * A one-line progress bar on stderr: task, bar, count, rate, time left, and an optional status
 * (losses) supplied by the caller. Redrawn at most a few times a second; on a non-terminal it prints a
 * plain line every 10 %.
 */
public final class ConsoleProgress implements Progress {
    private static final long REDRAW_NANOS = 250_000_000L;
    private final PrintStream out;
    private final boolean interactive;
    private String task = "";
    private long total;
    private long done;
    private long startDone;
    private long startNanos;
    private long lastDraw;
    private int lastDecile = -1;
    private Supplier<String> status = () -> "";

    public ConsoleProgress(PrintStream out) {
        this(out, System.console() != null);
    }

    public ConsoleProgress(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    public static ConsoleProgress stderr() {
        return new ConsoleProgress(System.err);
    }

    /** Text appended to the bar, e.g. the latest loss. */
    public ConsoleProgress status(Supplier<String> status) {
        this.status = status;
        return this;
    }

    @Override
    public synchronized void start(String task, long total) {
        this.task = task;
        this.total = total;
        this.done = 0;
        this.startDone = 0;
        this.startNanos = System.nanoTime();
        this.lastDraw = 0;
        this.lastDecile = -1;
    }

    /** Starts counting from {@code alreadyDone} (a resumed run), so the rate and time left stay honest. */
    public synchronized void resumeAt(long alreadyDone) {
        this.done = alreadyDone;
        this.startDone = alreadyDone;
    }

    @Override
    public synchronized void advance(long steps) {
        done += steps;
        long now = System.nanoTime();
        if (interactive) {
            if (now - lastDraw >= REDRAW_NANOS || done >= total) {
                lastDraw = now;
                out.print("\r" + line(now) + "\033[K");
                out.flush();
            }
        } else if (total > 0) {
            int decile = (int) (10 * done / total);
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(line(now));
            }
        }
    }

    @Override
    public synchronized void done() {
        if (interactive) {
            out.print("\r" + line(System.nanoTime()) + "\033[K\n");
        } else if (total <= 0 || lastDecile < 10) {
            out.println(line(System.nanoTime()));
        }
        out.flush();
    }

    String line(long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = (done - startDone) / seconds;
        StringBuilder sb = new StringBuilder(task).append(' ');
        if (total > 0) {
            int width = 24;
            int filled = (int) Math.min(width, width * done / total);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(width - filled)).append("] ");
            sb.append(done).append('/').append(total);
            if (rate > 0 && done < total) {
                sb.append(" eta ").append(formatDuration((total - done) / rate));
            }
        } else {
            sb.append(done);
        }
        sb.append(String.format(" %.2f/s", rate));
        String s = status.get();
        if (s != null && !s.isEmpty()) {
            sb.append("  ").append(s);
        }
        return sb.toString();
    }

    public static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format("%dm%02ds", s / 60, s % 60);
    }
}
