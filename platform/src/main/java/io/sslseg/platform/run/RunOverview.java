package io.sslseg.platform.run;

import io.sslseg.platform.config.ConfigTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One run folder in a line, for {@code sslseg runs}: what it trains (method, encoder, labelled count), where it stands,
 * how far it came, its best val mIoU and its training time. Read from its files without loading a model; a damaged or
 * missing file leaves its fields empty rather than failing the listing.
 *
 * @param status done, running, interrupted, crashed or failed
 * @param steps the last logged step, -1 when none
 * @param iterations the configured steps, -1 when unknown
 * @param bestMiou the best val mIoU so far, NaN when none
 * @param seconds training time over all sessions (each process's clock at its last metrics line, summed), NaN when none
 */
public record RunOverview(String name, Path dir, String method, String encoder, String labels, String status,
        long steps, long iterations, double bestMiou, double seconds) {

    /** Run folders under {@code root}: its children that hold a config.yaml, and the cells of compare outputs in it. */
    public static List<Path> find(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        if (Files.isRegularFile(root.resolve(RunFolder.CONFIG))) {
            out.add(root);
            return out;
        }
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
                if (Files.isRegularFile(child.resolve(RunFolder.CONFIG))) {
                    out.add(child);
                } else if (Files.isDirectory(child.resolve("cells"))) {
                    try (Stream<Path> cells = Files.list(child.resolve("cells"))) {
                        cells.filter(c -> Files.isRegularFile(c.resolve(RunFolder.CONFIG))).sorted().forEach(out::add);
                    }
                }
            }
        }
        return out;
    }

    public static RunOverview of(Path root, Path dir) {
        List<Map<?, ?>> metrics;
        try {
            metrics = RunFolder.readMetrics(dir);
        } catch (IOException damaged) {
            metrics = List.of(); // as a damaged config: the fields it would give stay empty, the listing goes on
        }
        return of(root, dir, metrics);
    }

    /** The run in {@code dir} with its metrics already read ({@link RunFolder#readMetrics}). */
    public static RunOverview of(Path root, Path dir, List<Map<?, ?>> metrics) {
        RunFolder folder = RunFolder.open(dir);
        Map<String, Object> config;
        try {
            config = ConfigTree.fromYaml(folder.readConfig());
        } catch (RuntimeException damaged) {
            config = Map.of();
        }
        long steps = -1;
        double best = Double.NaN;
        double seconds = Double.NaN;
        double earlierSessions = 0; // each process's clock starts at 0: a resume shows as the clock going back
        for (Map<?, ?> m : metrics) {
            if (m.get("step") instanceof Number n) {
                steps = Math.max(steps, n.longValue());
            }
            if (m.get("miou") instanceof Number n && !(n.doubleValue() <= best)) {
                best = n.doubleValue();
            }
            if (m.get("seconds") instanceof Number n) {
                if (n.doubleValue() < seconds) {
                    earlierSessions += seconds;
                }
                seconds = n.doubleValue();
            }
        }
        seconds += earlierSessions;
        String name = root.equals(dir) ? dir.getFileName().toString() : root.relativize(dir).toString();
        return new RunOverview(name, dir, method(config), text(at(config, "model", "encoder", "type")),
                text(at(config, "dataset", "labeled")), status(folder), steps,
                at(config, "train", "iterations") instanceof Number n ? n.longValue() : -1, best, seconds);
    }

    /** The loss terms' types joined by "+", or "supervised" without any. */
    private static String method(Map<String, Object> config) {
        if (config.isEmpty()) {
            return "";
        }
        List<String> types = new ArrayList<>();
        if (at(config, "loss", "terms") instanceof List<?> terms) {
            for (Object t : terms) {
                if (t instanceof Map<?, ?> term && term.get("type") != null) {
                    types.add(term.get("type").toString());
                }
            }
        }
        return types.isEmpty() ? "supervised" : String.join("+", types);
    }

    private static String status(RunFolder folder) {
        String s = folder.liveStatus();
        if (s.equals("completed")) {
            return "done";
        }
        if (s.equals("running")) {
            return "running";
        }
        return s.startsWith("crashed") ? "crashed" : s.startsWith("interrupted") ? "interrupted"
                : s.startsWith("failed") ? "failed" : s.isBlank() ? "unknown" : s.split("[: ]")[0];
    }

    private static Object at(Map<String, Object> tree, String... keys) {
        Object node = tree;
        for (String k : keys) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = m.get(k);
        }
        return node;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
