package io.sslseg.platform.run;

import io.sslseg.api.SslsegException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a run trained on, as recorded in its folder (dataset.txt: the dataset's identity, with its absolute root or
 * data source and checksums; plugins.lock: every plugin's version and jar checksum), compared with what the same config
 * gives now whenever the run is used again: a resume, an evaluation or an export on other data or other plugins would
 * give numbers that silently belong to neither.
 */
public final class RunRecord {
    public static final String DATASET = "dataset.txt";

    private RunRecord() {}

    public static void writeDataset(RunFolder folder, String identity) {
        RunFolder.writeAtomically(folder.dir().resolve(DATASET), identity + "\n");
    }

    /**
     * Refuses (unless {@code accept}) a run whose recorded dataset or plugins differ from the current ones, naming
     * each difference; with {@code accept} the differences are returned for a warning. Runs recorded before this
     * record existed have nothing to compare.
     */
    public static List<String> check(RunFolder folder, String datasetNow, String pluginsLockNow, boolean accept) {
        List<String> diffs = new ArrayList<>();
        String dataset = read(folder.dir().resolve(DATASET));
        if (dataset != null && !dataset.strip().equals(datasetNow.strip())) {
            diffs.add(datasetDifference(dataset.strip(), datasetNow.strip()) + " (the whole record: "
                    + folder.dir().resolve(DATASET) + ")");
        }
        String lock = read(folder.dir().resolve(RunFolder.LOCK));
        if (lock != null) {
            diffs.addAll(pluginDifferences(lock, pluginsLockNow));
        }
        if (!diffs.isEmpty() && !accept) {
            throw new SslsegException(folder.dir() + " was trained with other data or plugins than it would use now:\n  "
                    + String.join("\n  ", diffs) + "\nits results and these would not be comparable; pass --accept-changes"
                    + " to go on anyway");
        }
        return diffs;
    }

    /** The parts of two dataset identities that differ (identities list their facts separated by ", " and "; "). */
    static String datasetDifference(String recorded, String now) {
        List<String> a = List.of(recorded.split(", |; | \\(|\\)"));
        List<String> b = List.of(now.split(", |; | \\(|\\)"));
        List<String> gone = a.stream().filter(p -> !b.contains(p)).toList();
        List<String> added = b.stream().filter(p -> !a.contains(p)).toList();
        return "dataset: recorded '" + String.join(", ", gone) + "', now '" + String.join(", ", added) + "'";
    }

    /** One line per plugin added, removed or changed (version or jar checksum) between two plugins.lock texts. */
    static List<String> pluginDifferences(String recorded, String now) {
        Map<String, String> a = byPlugin(recorded);
        Map<String, String> b = byPlugin(now);
        List<String> out = new ArrayList<>();
        java.util.Set<String> ids = new TreeSet<>(a.keySet());
        ids.addAll(b.keySet());
        for (String id : ids) {
            String x = a.get(id);
            String y = b.get(id);
            if (x == null) {
                out.add("plugin " + id + ": not used by the run, installed now (" + y + ")");
            } else if (y == null) {
                out.add("plugin " + id + ": used by the run (" + x + "), not installed now");
            } else if (!x.equals(y)) {
                out.add("plugin " + id + ": recorded " + x + ", now " + y);
            }
        }
        return out;
    }

    /** plugin id -> "version sha256" (the jar's file name may differ between installs). */
    private static Map<String, String> byPlugin(String lock) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : lock.split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length >= 3 && !line.startsWith("#")) {
                m.put(f[0], f[1] + " sha256 " + f[2]);
            }
        }
        return m;
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            throw new SslsegException(file + ": cannot read: " + e.getMessage());
        }
    }
}
