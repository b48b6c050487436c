package io.sslseg.platform.compare;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import io.sslseg.platform.eval.ValExample;
import io.sslseg.platform.run.RunFolder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title>\n<style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}"
                        + ".bar{background:#4a7;height:10px}img{image-rendering:pixelated;width:128px;margin:2px}</style>"
                        + "</head><body>\n<h1>").append(escape(title)).append("</h1>\n");
        if (!unfinished.isEmpty()) {
            sb.append("<h2>Cells without results (").append(unfinished.size()).append(")</h2>\n<table><tr><th>cell</th>"
                    + "<th>status</th></tr>\n");
            unfinished.forEach(u -> sb.append("<tr><td>").append(escape(u.cell().id())).append("</td><td>")
                    .append(escape(u.status())).append("</td></tr>\n"));
            sb.append("</table>\n");
        }
        sb.append("<h2>Validation mIoU</h2>\n").append(chart(groups, CellResult::valCurve, 0, 1));
        sb.append("<h2>Training loss</h2>\n").append(chart(groups, CellResult::lossCurve, 0, Double.NaN));
        sb.append("<h2>Per-class IoU (last evaluation, first seed)</h2>\n<table><tr><th>class</th>");
        groups.forEach(g -> sb.append("<th>").append(escape(g.id())).append("</th>"));
        sb.append("</tr>\n");
        for (int c = 0; c < classNames.size(); c++) {
            sb.append("<tr><td>").append(escape(classNames.get(c))).append("</td>");
            for (Group g : groups) {
                double[] iou = g.seeds().get(0).lastIou();
                double v = c < iou.length ? iou[c] : Double.NaN;
                sb.append(String.format(Locale.ROOT, "<td><div class=\"bar\" style=\"width:%.0fpx\"></div>%.3f</td>",
                        Double.isNaN(v) ? 0 : 120 * v, v));
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n<h2>Image / truth / prediction (best checkpoint, first seed)</h2>\n");
        for (Overlay o : overlays) {
            sb.append("<h3>").append(escape(o.group())).append("</h3>\n<div>");
            for (ValExample i : o.images()) {
                sb.append(img(i.image())).append(img(i.truthImage())).append(img(i.predictionImage())).append("&nbsp;&nbsp;");
            }
            sb.append("</div>\n");
        }
        return sb.append("</body></html>\n").toString();
    }

    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf"};

    /** Curves of every group's first seed as an inline SVG line chart, with a legend. */
    static String chart(List<Group> groups, java.util.function.Function<CellResult, List<double[]>> curve, double yMin,
            double yMaxOrNaN) {
        double xMax = 1;
        double yMax = Double.isNaN(yMaxOrNaN) ? 0 : yMaxOrNaN;
        for (Group g : groups) {
            for (double[] p : curve.apply(g.seeds().get(0))) {
                xMax = Math.max(xMax, p[0]);
                if (Double.isNaN(yMaxOrNaN) && Double.isFinite(p[1])) {
                    yMax = Math.max(yMax, p[1]);
                }
            }
        }
        yMax = yMax <= yMin ? yMin + 1 : yMax;
        int w = 640;
        int h = 240;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" style=\"border:1px solid #ccc\">", w + 220, h + 30));
        sb.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"12\" font-size=\"11\">%.3g</text>"
                + "<text x=\"2\" y=\"%d\" font-size=\"11\">%.3g</text><text x=\"%d\" y=\"%d\" font-size=\"11\">step %.0f</text>",
                yMax, h, yMin, w - 60, h + 20, xMax));
        for (int i = 0; i < groups.size(); i++) {
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            for (double[] p : curve.apply(groups.get(i).seeds().get(0))) {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", 40 + (w - 50) * p[0] / xMax,
                        h - (h - 10) * (p[1] - yMin) / (yMax - yMin)));
            }
            sb.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" points=\"").append(pts).append("\"/>");
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"%s\">%s</text>", w + 10,
                    16 + 14 * i, colour, escape(groups.get(i).id())));
        }
        return sb.append("</svg>\n").toString();
    }

    private static String img(BufferedImage im) {
        return "<img alt=\"\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(ValExample.png(im)) + "\">";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Writes the three files into {@code out}, each atomically. */
    public static void write(Path out, String title, List<Group> groups, List<Unfinished> unfinished,
            List<String> classNames, List<Overlay> overlays) {
        RunFolder.writeAtomically(out.resolve("comparison.csv"), csv(groups, unfinished));
        RunFolder.writeAtomically(out.resolve("comparison.md"), markdown(title, groups, unfinished));
        RunFolder.writeAtomically(out.resolve("report.html"), html(title, groups, unfinished, classNames, overlays));
    }
}
