package io.sslseg.platform.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sslseg.api.AtomicFiles;
import io.sslseg.api.SslsegException;
import io.sslseg.platform.config.ConfigException;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.plugins.PluginInfo;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code runs/NAME/}: config.yaml (resolved), plugins.lock, metrics.jsonl, checkpoints/, and a
 * {@code status} file that says {@code completed} only once the run has finished, so a crashed run
 * never looks complete. Never silently overwritten.
 */
public final class RunFolder {
    public static final String CONFIG = "config.yaml";
    public static final String LOCK = "plugins.lock";
    public static final String METRICS = "metrics.jsonl";
    public static final String STATUS = "status";
    public static final String SUMMARY = "summary.json";
    public static final String CHECKPOINTS = "checkpoints";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * Fails, naming {@code --resume}, when {@code dir} exists and holds anything but its lock file: a run is never
     * overwritten.
     */
    public static void checkFree(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (var entries = Files.list(dir)) {
                    if (entries.anyMatch(p -> !p.getFileName().toString().equals(RunLock.FILE))) {
                        throw new SslsegException("run folder " + dir + " already exists; continue it with --resume "
                                + dir + " or choose another --run-dir");
                    }
                }
            }
        } catch (IOException e) {
            throw new SslsegException("cannot read run folder " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Creates {@code dir} if needed and takes its lock for a new run, checking again, under the lock, that no other
     * process made a run there since {@link #checkFree} was asked.
     */
    public static RunLock lockNew(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SslsegException("cannot create run folder " + dir + ": " + e.getMessage());
        }
        RunLock lock = RunLock.acquire(dir);
        try {
            checkFree(dir);
        } catch (SslsegException e) {
            lock.close();
            throw e;
        }
        return lock;
    }

    public static RunFolder create(Path dir) {
        checkFree(dir);
        try {
            Files.createDirectories(dir.resolve(CHECKPOINTS));
        } catch (IOException e) {
            throw new SslsegException("cannot create run folder " + dir + ": " + e.getMessage());
        }
        RunFolder f = new RunFolder(dir);
        f.setStatus("running");
        return f;
    }

    /** An existing run folder, to resume or evaluate. */
    public static RunFolder open(Path dir) {
        if (!Files.isRegularFile(dir.resolve(CONFIG))) {
            throw new SslsegException(dir + " is not a run folder (no " + CONFIG + ")");
        }
        return new RunFolder(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path checkpoints() {
        return dir.resolve(CHECKPOINTS);
    }

    public String status() {
        try {
            return Files.readString(dir.resolve(STATUS)).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The status as a reader should see it: {@code running} only while a live process holds the folder's lock; a
     * folder left at {@code running} by a process that died (kill -9, a power cut, a native crash) reads as crashed.
     */
    public String liveStatus() {
        String s = status();
        if (s.equals("running") && !RunLock.isHeld(dir)) {
            return "crashed (its status says running, but no process holds the run; continue it with sslseg train"
                    + " --resume " + dir + ")";
        }
        return s;
    }

    public void setStatus(String status) {
        writeAtomically(dir.resolve(STATUS), status + "\n");
    }

    public void writeConfig(String yaml) {
        writeAtomically(dir.resolve(CONFIG), yaml);
    }

    /**
     * The recorded config, parsed and given to {@code use} (which binds or resolves it): any config error, in the
     * YAML or in a value, names this run's config.yaml.
     */
    public <T> T withConfig(java.util.function.Function<Map<String, Object>, T> use) {
        try {
            return use.apply(ConfigTree.fromYaml(readConfig()));
        } catch (ConfigException e) {
            throw new ConfigException(dir.resolve(CONFIG) + ": " + e.getMessage());
        }
    }

    public String readConfig() {
        try {
            return Files.readString(dir.resolve(CONFIG));
        } catch (IOException e) {
            throw new SslsegException(dir.resolve(CONFIG) + ": cannot read: " + e.getMessage());
        }
    }

    public void writePluginsLock(List<PluginInfo> plugins) {
        writeAtomically(dir.resolve(LOCK), pluginsLock(plugins));
    }

    /** plugins.lock's text for these plugins: one line each, id, version, jar SHA-256 and jar name. */
    public static String pluginsLock(List<PluginInfo> plugins) {
        StringBuilder sb = new StringBuilder("# plugin-id version sha256 jar\n");
        for (PluginInfo p : plugins) {
            sb.append(p.id()).append(' ').append(p.version()).append(' ').append(p.sha256()).append(' ')
                    .append(p.jar().getFileName()).append('\n');
        }
        return sb.toString();
    }

    public void writeSummary(Map<String, Object> summary) {
        try {
            writeAtomically(dir.resolve(SUMMARY), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Opens metrics.jsonl for appending. On resume, lines after {@code keepUpToStep} (written after the
     * checkpoint the run resumes from) and a torn last line are dropped so no step appears twice; a damaged line
     * before the last is dropped too, and {@code warn} is told.
     */
    public MetricsLog metrics(long keepUpToStep, java.util.function.Consumer<String> warn) {
        Path file = dir.resolve(METRICS);
        try {
            if (Files.exists(file)) {
                List<String> kept = new ArrayList<>();
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    try {
                        Map<?, ?> m = JSON.readValue(line, Map.class);
                        Object step = m.get("step");
                        if (step instanceof Number n && n.longValue() <= keepUpToStep) {
                            kept.add(line);
                        }
                    } catch (IOException | RuntimeException unreadable) {
                        if (i < lines.size() - 1) { // a last line cut short by a kill is expected; one before it is not
                            warn.accept(file + ": line " + (i + 1) + " is damaged (not a JSON record); dropped");
                        }
                    }
                }
                writeAtomically(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
            }
            BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return new MetricsLog(w);
        } catch (IOException e) {
            throw new SslsegException(file + ": cannot open: " + e.getMessage());
        }
    }

    /**
     * How far a run has come, for progress lines: "step N of M" from the last whole line of metrics.jsonl and
     * config.yaml's train.iterations; "starting" before its first line.
     */
    public String progress() {
        long step = -1;
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(dir.resolve(METRICS).toFile(), "r")) {
            // only the tail: compare asks this of every running cell while it waits, and a long run's file is large
            long from = Math.max(0, f.length() - 8192);
            byte[] tail = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(tail);
            String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
            for (int i = lines.length - 1; i >= 0 && step < 0; i--) {
                try {
                    if (JSON.readValue(lines[i], Map.class).get("step") instanceof Number n) {
                        step = n.longValue();
                    }
                } catch (IOException | RuntimeException partOrTorn) {
                    // the first line of the tail, or one being written: an earlier one says it
                }
            }
        } catch (IOException none) {
            // no metrics yet
        }
        if (step < 0) {
            return "starting";
        }
        Object iterations = null;
        try {
            if (ConfigTree.fromYaml(readConfig()).get("train") instanceof Map<?, ?> train) {
                iterations = train.get("iterations");
            }
        } catch (RuntimeException unreadable) {
            // progress without the total
        }
        return "step " + step + (iterations == null ? "" : " of " + iterations);
    }

    /**
     * The lines of a run's metrics.jsonl, parsed, in order (empty when the run has written none yet). A last line that
     * does not parse is one a running process is writing (or a crash cut short), and is left out; any other line that
     * does not parse is damage, and an error.
     */
    public static List<Map<?, ?>> readMetrics(Path runDir) throws IOException {
        Path file = runDir.resolve(METRICS);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Map<?, ?>> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            try {
                lines.add(JSON.readValue(text.get(i), Map.class));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                if (i < text.size() - 1) {
                    throw new IOException(file + ": line " + (i + 1) + " is not JSON (" + e.getOriginalMessage() + ")");
                }
            }
        }
        return lines;
    }

    /** Writes to a temporary name in the same folder, then renames: readers see the old or the new file. */
    public static void writeAtomically(Path target, String content) {
        writeAtomically(target, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeAtomically(Path target, byte[] content) {
        try {
            AtomicFiles.write(target, content);
        } catch (IOException e) {
            throw new SslsegException("cannot write " + target + ": " + e.getMessage());
        }
    }

}
