package io.sslseg.platform.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.platform.compare.CellResult;
import io.sslseg.platform.compare.ComparisonReport;
import io.sslseg.platform.compare.Grid;
import io.sslseg.platform.eval.ValExample;
import io.sslseg.testkit.HeadlessBrowser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reports as a user's browser shows them (Debian's headless Chromium): drawn, and free of script errors. */
class ReportRenderTest {
    @TempDir
    Path dir;

    @Test
    void theComparisonReportRendersItsChartsAndPanel() throws Exception {
        Random random = new Random(7);
        List<CellResult> cells = new ArrayList<>();
        List<ComparisonReport.Overlay> overlays = new ArrayList<>();
        for (String method : List.of("supervised", "mean-teacher", "fixmatch")) {
            for (int seed = 1; seed <= 3; seed++) {
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put("method", method);
                labels.put("seed", Integer.toString(seed));
                List<double[]> val = new ArrayList<>();
                List<double[]> loss = new ArrayList<>();
                for (int step = 10; step <= 2000; step += 10) {
                    loss.add(new double[] {step, 2 * Math.exp(-step / 500.0) + 0.3 * random.nextDouble()});
                    if (step % 250 == 0) {
                        val.add(new double[] {step, 0.25 + 0.1 * step / 2000 + 0.02 * random.nextGaussian()});
                    }
                }
                cells.add(new CellResult(new Grid.Cell(method + "_s" + seed, labels, Map.of()), 100, 10, 500, 0.37,
                        0.36, val, loss, new double[] {0.9, 0.3, 0.4}));
            }
            overlays.add(new ComparisonReport.Overlay(method, List.of(example(random), example(random))));
        }
        List<ComparisonReport.Unfinished> failed = List.of(new ComparisonReport.Unfinished(
                new Grid.Cell("cct_s1", Map.of("method", "cct", "seed", "1"), Map.of()), "crashed: exit code 137"));
        Path page = dir.resolve("report.html");
        Files.writeString(page, ComparisonReport.html("comparison", ComparisonReport.groups(cells), failed,
                List.of("background", "shirt", "bag"), overlays));
        HeadlessBrowser.Rendering r = HeadlessBrowser.render(page, 1000, 1400);
        r.assertRenderedCleanly(HtmlPage.READY_ATTRIBUTE);
        for (int i = 0; i < 3; i++) { // each curve and its legend entry are drawn in its colour
            int colour = Integer.parseInt(LineChart.colour(i).substring(1), 16);
            assertTrue(r.pixelsNear(colour, 12) > 100, "curve " + i + " in " + LineChart.colour(i));
        }
    }

    @Test
    void aRunReportRendersFromTheRunFolderAlone() throws Exception {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.yaml"), "model:\n  encoder:\n    type: unet\ndataset:\n  labeled: 200\n"
                + "loss:\n  terms:\n  - type: mean-teacher\ntrain:\n  iterations: 500\n");
        Files.writeString(run.resolve("status"), "completed\n");
        StringBuilder metrics = new StringBuilder();
        for (int step = 10; step <= 500; step += 10) {
            metrics.append(String.format(java.util.Locale.ROOT, "{\"step\":%d,\"loss_sup\":%.4f,\"w_u\":%.3f,"
                    + "\"loss_u\":%.4f,\"loss_total\":%.4f,\"lr\":0.001,\"seconds\":%d}%n", step, 2.0 / (1 + step / 100.0),
                    Math.min(1, step / 300.0), 0.05, 2.0 / (1 + step / 100.0) + 0.05, step / 5));
            if (step % 100 == 0) {
                metrics.append(String.format(java.util.Locale.ROOT, "{\"step\":%d,\"split\":\"val\",\"miou\":%.3f,"
                        + "\"pixel_accuracy\":0.8,\"iou\":[0.9,%.3f]}%n", step, 0.2 + step / 2000.0, step / 1000.0));
            }
        }
        Files.writeString(run.resolve("metrics.jsonl"), metrics);
        Path page = dir.resolve("run-report.html");
        String html = RunReport.html(run, List.of("background", "shirt"), List.of(example(new Random(1))), "its network");
        Files.writeString(page, html);
        assertTrue(html.contains(">mean-teacher<") && html.contains("500 of 500") && html.contains("0.4500 (step 500)"),
                html);
        assertTrue(html.contains(">unsupervised loss</text>") && html.contains(">weight</text>")
                && html.contains(">learning rate</text>"), "each logged quantity in its own chart");
        HeadlessBrowser.render(page, 1000, 1400).assertRenderedCleanly(HtmlPage.READY_ATTRIBUTE);
    }

    private static ValExample example(Random random) {
        int w = 16;
        byte[] rgb = new byte[3 * w * w];
        random.nextBytes(rgb);
        byte[] truth = new byte[w * w];
        int[] predicted = new int[w * w];
        for (int i = 0; i < w * w; i++) {
            truth[i] = (byte) (i % w < 8 ? 0 : 1);
            predicted[i] = i / w < 8 ? 0 : 2;
        }
        return new ValExample(w, w, rgb, truth, predicted);
    }
}
