package io.sslseg.platform.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sslseg.platform.eval.ValExample;
import io.sslseg.platform.run.RunEnvironment;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.platform.run.RunOverview;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * report.html of one run ({@code sslseg report RUN_DIR}): what it trained and where it stands, its validation curve,
 * each logged training quantity in a chart of its own, per-class IoU, a few val images with their prediction, and
 * the config and environment it ran with. Everything but the predictions comes from the run folder's files.
 */
public final class RunReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Logged per step but not a training quantity to chart. */
    private static final Set<String> NOT_CHARTED = Set.of("step", "seconds", "split", "miou", "pixel_accuracy", "iou");

    /** What the well-known training keys are, for the y axes and captions; any other key is named as logged. */
    private static final Map<String, String[]> KNOWN = Map.of(
            "loss_sup", new String[] {"supervised loss", "Supervised loss on the labelled batch"},
            "loss_total", new String[] {"total loss", "Total loss: the supervised loss plus each unsupervised term"
                    + " times its weight"},
            "loss_unsup", new String[] {"unsupervised loss", "The unsupervised terms' loss, before its weight"},
            "loss_u", new String[] {"unsupervised loss", "The unsupervised term's loss, before its weight"},
            "w_u", new String[] {"weight", "Weight of the unsupervised loss (its ramp-up schedule)"},
            "lr", new String[] {"learning rate", "Learning rate (the schedule)"});

    private RunReport() {}

    /**
     * @param examples the first val images through the run's network (may be empty)
     * @param predictedBy which network and checkpoint predicted them, for the caption
     */
    public static String html(Path dir, List<String> classNames, List<ValExample> examples, String predictedBy)
            throws IOException {
        List<Map<?, ?>> metrics = RunFolder.readMetrics(dir);
        Map<?, ?> best = null; // the best and the last evaluation line
        Map<?, ?> last = null;
        for (Map<?, ?> m : metrics) {
            if (m.get("iou") instanceof List<?>) {
                last = m;
                if (best == null || num(m.get("miou")) > num(best.get("miou"))) {
                    best = m;
                }
            }
        }
        HtmlPage page = new HtmlPage("sslseg run: " + dir.getFileName());
        page.facts(facts(dir, RunOverview.of(dir, dir, metrics), best, last));

        page.heading("Validation");
        List<double[]> val = Curves.of(metrics, "miou");
        page.figure(chart("val mIoU", List.of(new LineChart.Series("val mIoU", points(val)))),
                "Validation mIoU (class-wise IoU averaged over all classes, background included, 255 ignored) at each"
                        + " evaluation, against the training step.");
        List<double[]> accuracy = Curves.of(metrics, "pixel_accuracy");
        if (!accuracy.isEmpty()) {
            page.figure(chart("pixel accuracy", List.of(new LineChart.Series("pixel accuracy", points(accuracy)))),
                    "Validation pixel accuracy (share of labelled pixels predicted right) at each evaluation.");
        }

        page.heading("Training");
        for (String key : trainingKeys(metrics)) {
            String[] known = KNOWN.getOrDefault(key, new String[] {key, "The value the run logs as '" + key + "'"});
            boolean loss = key.startsWith("loss");
            List<double[]> curve = Curves.of(metrics, key);
            page.figure(chart(known[0], List.of(new LineChart.Series(key,
                    points(loss ? Curves.runningMean(curve, Curves.LOSS_WINDOW) : curve)))),
                    known[1] + ", against the training step" + (loss ? "; " + Curves.LOSS_SMOOTHING + "." : "."));
        }

        List<String> sources = new ArrayList<>();
        List<double[]> ious = new ArrayList<>();
        if (best != null) {
            sources.add("best evaluation (step " + (long) num(best.get("step")) + ")");
            ious.add(iou(best));
            if (last != best) {
                sources.add("last evaluation (step " + (long) num(last.get("step")) + ")");
                ious.add(iou(last));
            }
            page.heading("Per-class IoU").figure(HtmlPage.iouTable(classNames, sources, ious),
                    "IoU of each class at the best and the last evaluation; the bar spans 0 to 1.");
        }
        if (!examples.isEmpty()) {
            page.heading("Predictions").panel(List.of("prediction"), List.of(examples))
                    .paragraph("The first val images, their true masks and the prediction of " + predictedBy
                            + ", in the VOC palette.");
        }
        page.heading("Config and environment").preformatted(RunFolder.CONFIG, RunFolder.open(dir).readConfig());
        Path env = dir.resolve(RunEnvironment.FILE);
        if (Files.isRegularFile(env)) {
            page.preformatted(RunEnvironment.FILE + " (one line per training process)",
                    Files.readString(env, StandardCharsets.UTF_8));
        }
        return page.html();
    }

    private static List<String[]> facts(Path dir, RunOverview run, Map<?, ?> best, Map<?, ?> last) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"folder", dir.toAbsolutePath().toString()});
        rows.add(new String[] {"method", run.method()});
        rows.add(new String[] {"encoder", run.encoder()});
        rows.add(new String[] {"labelled images", run.labels()});
        rows.add(new String[] {"status", RunFolder.open(dir).liveStatus()});
        rows.add(new String[] {"steps", run.steps() < 0 ? "none logged" : run.steps() + (run.iterations() > 0
                ? " of " + run.iterations() : "")});
        if (best != null) {
            rows.add(new String[] {"best val mIoU", evaluation(best)});
            rows.add(new String[] {"last val mIoU", evaluation(last)});
        }
        if (Double.isFinite(run.seconds())) {
            rows.add(new String[] {"training time", String.format(Locale.ROOT, "%.0f s", run.seconds())});
        }
        try {
            Map<?, ?> summary = JSON.readValue(dir.resolve(RunFolder.SUMMARY).toFile(), Map.class);
            String[][] wanted = {{"network_parameters", "network parameters"}, {"steps_per_second", "steps per second"},
                {"peak_rss_mb", "peak RSS (MiB)"}, {"device", "device"}};
            for (String[] key : wanted) {
                Object v = summary.get(key[0]);
                if (v != null) {
                    rows.add(new String[] {key[1], v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d)
                            : v.toString()});
                }
            }
        } catch (IOException notFinished) {
            // a run still training or stopped has no summary yet
        }
        return rows;
    }

    /** The numeric keys of the training lines, in the order they first appear, the known losses first. */
    static List<String> trainingKeys(List<Map<?, ?>> metrics) {
        Set<String> keys = new LinkedHashSet<>(List.of("loss_sup", "loss_total"));
        Set<String> seen = new LinkedHashSet<>();
        for (Map<?, ?> m : metrics) {
            m.forEach((k, v) -> {
                if (v instanceof Number && !NOT_CHARTED.contains(k.toString())) {
                    seen.add(k.toString());
                }
            });
        }
        keys.retainAll(seen);
        keys.addAll(seen);
        return new ArrayList<>(keys);
    }

    private static String chart(String yLabel, List<LineChart.Series> series) {
        return new LineChart("training step", yLabel, series).svg();
    }

    private static List<LineChart.Point> points(List<double[]> curve) {
        return curve.stream().map(p -> new LineChart.Point(p[0], p[1])).toList();
    }

    private static String evaluation(Map<?, ?> line) {
        return String.format(Locale.ROOT, "%.4f (step %d)", num(line.get("miou")), (long) num(line.get("step")));
    }

    private static double[] iou(Map<?, ?> evaluation) {
        return ((List<?>) evaluation.get("iou")).stream().mapToDouble(RunReport::num).toArray();
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
