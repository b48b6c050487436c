package io.sslseg.platform.compare;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import io.sslseg.platform.eval.ValExample;
import io.sslseg.platform.report.Curves;
import io.sslseg.platform.report.HtmlPage;
import io.sslseg.platform.report.LineChart;
import io.sslseg.platform.run.RunFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The grid's comparison: {@code comparison.csv} and {@code comparison.md} (one row per cell group, seeds
 * averaged: mean +- sample std) and a self-contained {@code report.html} (training curves as inline SVG,
 * per-class IoU bars, image / truth / prediction overlays as inline PNGs) that opens offline.
 */
public final class ComparisonReport {
    /** A cell without results (failed, crashed, interrupted, not started) and what its run folder says. */
    public record Unfinished(Grid.Cell cell, String status) {}

    /** A few val images through one group's network. */
    public record Overlay(String group, List<ValExample> images) {}

    /** Cells of one group (the same cell but for its seed). */
    public record Group(String id, Map<String, String> labels, List<CellResult> seeds) {
        double mean(ToDoubleFunction<CellResult> f) {
            return seeds.stream().mapToDouble(f).average().orElse(Double.NaN);
        }

        double std(ToDoubleFunction<CellResult> f) {
            if (seeds.size() < 2) {
                return 0;
            }
            double m = mean(f);
            return Math.sqrt(seeds.stream().mapToDouble(c -> Math.pow(f.applyAsDouble(c) - m, 2)).sum() / (seeds.size() - 1));
        }
    }

    private ComparisonReport() {}

    public static List<Group> groups(List<CellResult> cells) {
        Map<String, List<CellResult>> by = new LinkedHashMap<>();
        cells.forEach(c -> by.computeIfAbsent(c.cell().group(), k -> new ArrayList<>()).add(c));
        List<Group> out = new ArrayList<>();
        by.forEach((id, list) -> {
            Map<String, String> labels = new LinkedHashMap<>(list.get(0).cell().labels());
            labels.remove(Grid.SEED_AXIS);
            out.add(new Group(id, labels, list));
        });
        return out;
    }

    /** The grid's axes but its seed, in order, from any cell. */
    private static List<String> axes(List<Group> groups, List<Unfinished> unfinished) {
        Map<String, String> labels = !groups.isEmpty() ? groups.get(0).labels()
                : unfinished.isEmpty() ? Map.of() : unfinished.get(0).cell().labels();
        return labels.keySet().stream().filter(a -> !a.equals(Grid.SEED_AXIS)).toList();
    }

    /**
     * One row per group (seeds averaged), then one per cell without results, its status in the last column and its
     * numbers empty.
     */
    public static String csv(List<Group> groups, List<Unfinished> unfinished) {
        List<String> axes = axes(groups, unfinished);
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("cell"));
        header.addAll(axes);
        header.addAll(List.of("seeds", "parameters", "step_ms", "peak_rss_mb", "best_miou_mean", "best_miou_std",
                "last_miou_mean", "last_miou_std", "status"));
        rows.add(header);
        for (Group g : groups) {
            List<String> row = new ArrayList<>(List.of(g.id()));
            axes.forEach(a -> row.add(g.labels().get(a)));
            row.addAll(List.of(Integer.toString(g.seeds().size()), Long.toString((long) g.mean(CellResult::parameters)),
                    format("%.1f", g.mean(CellResult::stepMillis)), format("%.0f", g.mean(CellResult::peakRssMb)),
                    format("%.4f", g.mean(CellResult::bestMiou)), format("%.4f", g.std(CellResult::bestMiou)),
                    format("%.4f", g.mean(CellResult::lastMiou)), format("%.4f", g.std(CellResult::lastMiou)), "completed"));
            rows.add(row);
        }
        for (Unfinished u : unfinished) {
            List<String> row = new ArrayList<>(List.of(u.cell().id()));
            axes.forEach(a -> row.add(u.cell().labels().get(a)));
            row.addAll(List.of("0", "", "", "", "", "", "", "", u.status().replace('\n', ' ')));
            rows.add(row);
        }
        try {
            return CSV.writeValueAsString(rows); // quoting and escaping by the CSV writer (RFC 4180)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final CsvMapper CSV = new CsvMapper();

    private static String format(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }

    /**
     * Markdown: first a table shaped like the seed's Table 2 (one row per label of the first axis, one column
     * per combination of the others, last val mIoU mean +- std over seeds), then every group in detail.
     */
    public static String markdown(String title, List<Group> groups, List<Unfinished> unfinished) {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        if (!unfinished.isEmpty()) {
            sb.append("**").append(unfinished.size()).append(" cell(s) without results**, not in the tables below:\n\n")
                    .append("| cell | status |\n|---|---|\n");
            unfinished.forEach(u -> sb.append("| ").append(u.cell().id()).append(" | ")
                    .append(u.status().replace("|", "\\|").replace('\n', ' ')).append(" |\n"));
            sb.append('\n');
        }
        if (groups.isEmpty()) {
            return sb.append("No finished cells.\n").toString();
        }
        List<String> axes = List.copyOf(groups.get(0).labels().keySet());
        // a seeds-only grid has no axis to lay out: one row, the group itself
        String rowAxis = axes.isEmpty() ? "cells" : axes.get(0);
        List<String> columnAxes = axes.size() > 1 ? axes.subList(1, axes.size()) : List.of();
        Map<String, Map<String, Group>> table = new LinkedHashMap<>();
        List<String> columns = new ArrayList<>();
        for (Group g : groups) {
            String column = String.join(" ", columnAxes.stream().map(a -> g.labels().get(a)).toList());
            if (!columns.contains(column)) {
                columns.add(column);
            }
            table.computeIfAbsent(axes.isEmpty() ? g.id() : g.labels().get(rowAxis), k -> new LinkedHashMap<>())
                    .put(column, g);
        }
        sb.append("Last val mIoU, mean +- std over seeds.\n\n| ").append(rowAxis).append(" |");
        columns.forEach(c -> sb.append(' ').append(c.isEmpty() ? "mIoU" : c).append(" |"));
        sb.append("\n|---|").append("---|".repeat(columns.size())).append('\n');
        table.forEach((row, cells) -> {
            sb.append("| ").append(row).append(" |");
            for (String c : columns) {
                Group g = cells.get(c);
                sb.append(g == null ? " - |" : String.format(Locale.ROOT, " %.4f +- %.4f |", g.mean(CellResult::lastMiou),
                        g.std(CellResult::lastMiou)));
            }
            sb.append('\n');
        });
        sb.append("\n| cell | seeds | parameters | step (ms) | peak RSS (MiB) | best mIoU | last mIoU |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Group g : groups) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %,d | %.0f | %.0f | %.4f +- %.4f | %.4f +- %.4f |%n",
                    g.id(), g.seeds().size(), (long) g.mean(CellResult::parameters), g.mean(CellResult::stepMillis),
                    g.mean(CellResult::peakRssMb), g.mean(CellResult::bestMiou), g.std(CellResult::bestMiou),
                    g.mean(CellResult::lastMiou), g.std(CellResult::lastMiou)));
        }
        return sb.toString();
    }

    public static String html(String title, List<Group> groups, List<Unfinished> unfinished, List<String> classNames,
            List<Overlay> overlays) {
        HtmlPage page = new HtmlPage(title);
        if (!unfinished.isEmpty()) {
            StringBuilder t = new StringBuilder("<table class=\"failed\"><tr><th>cell</th><th>status</th></tr>\n");
            unfinished.forEach(u -> t.append("<tr><td>").append(HtmlPage.escape(u.cell().id())).append("</td><td>")
                    .append(HtmlPage.escape(u.status())).append("</td></tr>\n"));
            page.heading("Cells without results (" + unfinished.size() + ")").raw(t.append("</table>\n").toString())
                    .paragraph("These cells are in no chart or table below.");
        }
        if (groups.isEmpty()) {
            return page.paragraph("No finished cells.").html();
        }
        String seeds = seedsNote(groups);
        page.heading("Validation mIoU").figure(chart(groups, CellResult::valCurve, 1, "val mIoU"),
                "Validation mIoU (class-wise IoU averaged over all classes, background included, 255 ignored) against"
                        + " the training step, for each cell group; " + seeds);
        page.heading("Supervised loss").figure(chart(groups, CellResult::supervisedLossCurve, Curves.LOSS_WINDOW,
                "supervised loss"), "Supervised loss on the labelled batch (the one loss every method has; the"
                        + " methods' own unsupervised terms differ in kind and are not compared here) against the"
                        + " training step (" + Curves.LOSS_SMOOTHING + "); " + seeds);
        List<double[]> iou = new ArrayList<>();
        for (Group g : groups) {
            int n = g.seeds().stream().mapToInt(c -> c.lastIou().length).min().orElse(0);
            double[] mean = new double[n];
            for (int c = 0; c < n; c++) {
                int k = c;
                mean[c] = g.seeds().stream().mapToDouble(r -> r.lastIou()[k]).average().orElse(Double.NaN);
            }
            iou.add(mean);
        }
        List<String> ids = groups.stream().map(Group::id).toList();
        page.heading("Per-class IoU").figure(HtmlPage.iouTable(classNames, ids, iou),
                "IoU of each class at the last evaluation, mean over each group's seeds; the bar spans 0 to 1.");
        if (!overlays.isEmpty()) {
            page.heading("Predictions").panel(overlays.stream().map(Overlay::group).toList(),
                    overlays.stream().map(Overlay::images).toList()).paragraph("The first val images, their true masks"
                            + " and each group's prediction (its first seed's best checkpoint), in the VOC palette.");
        }
        return page.html();
    }

    private static String seedsNote(List<Group> groups) {
        int most = groups.stream().mapToInt(g -> g.seeds().size()).max().orElse(1);
        return most > 1 ? "line: mean over seeds; band: +- one sample standard deviation (groups with two or more seeds)."
                : "one seed per group, so no spread is shown.";
    }

    /** One curve per group: its seeds' curves (smoothed over {@code window} points) averaged, with their std band. */
    static String chart(List<Group> groups, Function<CellResult, List<double[]>> curve, int window, String yLabel) {
        List<LineChart.Series> series = new ArrayList<>();
        for (Group g : groups) {
            List<List<double[]>> runs = g.seeds().stream().map(c -> Curves.runningMean(curve.apply(c), window)).toList();
            series.add(new LineChart.Series(g.id() + (g.seeds().size() > 1 ? " (" + g.seeds().size() + " seeds)" : ""),
                    Curves.meanAndStd(runs)));
        }
        return new LineChart("training step", yLabel, series).svg();
    }

    /** Writes the three files into {@code out}, each atomically. */
    public static void write(Path out, String title, List<Group> groups, List<Unfinished> unfinished,
            List<String> classNames, List<Overlay> overlays) {
        RunFolder.writeAtomically(out.resolve("comparison.csv"), csv(groups, unfinished));
        RunFolder.writeAtomically(out.resolve("comparison.md"), markdown(title, groups, unfinished));
        RunFolder.writeAtomically(out.resolve("report.html"), html(title, groups, unfinished, classNames, overlays));
    }
}
