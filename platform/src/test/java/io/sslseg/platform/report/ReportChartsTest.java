package io.sslseg.platform.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.platform.compare.CellResult;
import io.sslseg.platform.compare.ComparisonReport;
import io.sslseg.platform.compare.Grid;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportChartsTest {
    @Test
    void ticksAreNiceStepsCoveringTheData() {
        assertArrayEquals(new double[] {0.20, 0.25, 0.30, 0.35, 0.40, 0.45}, LineChart.ticks(0.213, 0.437), 1e-12);
        assertArrayEquals(new double[] {0, 1000, 2000, 3000, 4000}, LineChart.ticks(0, 4000), 1e-9);
        assertArrayEquals(new double[] {0, 2.5, 5, 7.5, 10, 12.5}, LineChart.ticks(0, 12), 1e-12);
        double[] flat = LineChart.ticks(0.5, 0.5); // one value: a range around it, not a division by zero
        assertTrue(flat[0] < 0.5 && flat[flat.length - 1] > 0.5, java.util.Arrays.toString(flat));
        double[] noise = LineChart.ticks(0.05, 0.05000000000000001); // a constant curve after averaging
        assertTrue(noise.length < 10 && noise[0] < 0.05 && noise[noise.length - 1] > 0.05, java.util.Arrays.toString(noise));
        assertEquals("0.25", LineChart.label(0.25, LineChart.ticks(0.213, 0.437)));
        assertEquals("3000", LineChart.label(3000, LineChart.ticks(0, 4000)));
        assertEquals("7.5", LineChart.label(7.5, LineChart.ticks(0, 12)));
    }

    @Test
    void theYAxisFollowsTheDataAndItsBand() {
        LineChart chart = new LineChart("step", "val mIoU", List.of(new LineChart.Series("a", List.of(
                new LineChart.Point(100, 0.30, 0.02), new LineChart.Point(200, 0.40, 0.01)))));
        assertArrayEquals(new double[] {0.28, 0.41}, chart.yRange(), 1e-12);
        String svg = chart.svg();
        assertTrue(svg.contains(">0.25<") && svg.contains(">0.45<"), svg); // ticks at 0.05 steps around the band
        assertFalse(svg.contains(">1.00<") || svg.contains(">0.00<"), "the axis is not the fixed 0..1 range");
        assertTrue(svg.contains("<polygon"), "the std band is drawn");
        assertFalse(new LineChart("step", "y", List.of(new LineChart.Series("one seed", List.of(
                new LineChart.Point(1, 1), new LineChart.Point(2, 2))))).svg().contains("<polygon"), "no band without spread");
    }

    @Test
    void everyCurveDiffersFromItsNeighboursInColourAndLineStyle() {
        List<LineChart.Series> series = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            series.add(new LineChart.Series("s" + i, List.of(new LineChart.Point(0, i), new LineChart.Point(1, i + 1))));
        }
        String svg = new LineChart("step", "y", series).svg();
        Matcher m = Pattern.compile("<polyline fill=\"none\" stroke=\"(#[0-9a-f]{6})\" stroke-width=\"2\"( stroke-dasharray=\"([0-9 ]+)\")?")
                .matcher(svg);
        List<String> styles = new ArrayList<>();
        while (m.find()) {
            styles.add(m.group(1) + "/" + (m.group(3) == null ? "solid" : m.group(3)));
        }
        assertEquals(8, styles.size(), svg);
        Set<String> colours = new HashSet<>();
        Set<String> dashes = new HashSet<>();
        for (int i = 0; i < styles.size(); i++) {
            colours.add(styles.get(i).split("/")[0]);
            dashes.add(styles.get(i).split("/")[1]);
            if (i > 0) {
                assertFalse(styles.get(i).split("/")[1].equals(styles.get(i - 1).split("/")[1]), "neighbours' dashes");
            }
        }
        assertEquals(8, colours.size());
        assertEquals(4, dashes.size());
        for (int i = 0; i < 8; i++) {
            assertTrue(svg.contains(">s" + i + "</text>"), "legend entry s" + i);
        }
    }

    @Test
    void seedsAreAveragedWithTheirSampleStd() {
        List<LineChart.Point> p = Curves.meanAndStd(List.of(
                List.of(new double[] {10, 1}, new double[] {20, 3}),
                List.of(new double[] {10, 3}, new double[] {20, 5})));
        assertEquals(2, p.size());
        assertEquals(new LineChart.Point(10, 2, Math.sqrt(2)), p.get(0));
        assertEquals(new LineChart.Point(20, 4, Math.sqrt(2)), p.get(1));
        assertTrue(Double.isNaN(Curves.meanAndStd(List.of(List.<double[]>of(new double[] {1, 5}))).get(0).spread()));
        List<double[]> smooth = Curves.runningMean(List.of(new double[] {1, 1}, new double[] {2, 3}, new double[] {3, 5},
                new double[] {4, 10}), 3);
        assertArrayEquals(new double[] {2, 3, 6, 7.5}, smooth.stream().mapToDouble(q -> q[1]).toArray(), 1e-12);
        assertArrayEquals(new double[] {1, 2, 3, 4}, smooth.stream().mapToDouble(q -> q[0]).toArray(), 1e-12);
        assertEquals(List.of(new double[] {1, 0.5}).get(0)[1],
                Curves.of(List.of(Map.of("step", 1, "miou", 0.5), Map.of("step", 1, "loss_sup", 2.0)), "miou").get(0)[1]);
    }

    @Test
    void theComparisonChartsOneQuantityEachWithACaptionUnderEveryChart() {
        List<CellResult> cells = new ArrayList<>();
        for (String method : List.of("supervised", "mean-teacher")) {
            for (int seed = 1; seed <= 2; seed++) {
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put("method", method);
                labels.put("seed", Integer.toString(seed));
                List<double[]> val = List.of(new double[] {100, 0.3 + 0.01 * seed}, new double[] {200, 0.35 + 0.01 * seed});
                List<double[]> sup = List.of(new double[] {10, 2.0}, new double[] {20, 1.5});
                cells.add(new CellResult(new Grid.Cell(method + "_s" + seed, labels, Map.of()), 100, 10, 500, 0.37, 0.36,
                        val, sup, new double[] {0.9, 0.1 * seed}));
            }
        }
        String html = ComparisonReport.html("t", ComparisonReport.groups(cells), List.of(), List.of("background", "shirt"),
                List.of());
        assertEquals(count(html, "<figure>"), count(html, "<figcaption>"));
        assertEquals(3, count(html, "<figure>"), "mIoU, supervised loss, per-class IoU");
        assertTrue(html.contains(">supervised loss</text>") && !html.contains("total loss"), "one loss, named once");
        assertTrue(html.contains("supervised (2 seeds)") && html.contains("+- one sample standard deviation"), html);
        assertEquals(4, count(html, "<polygon"), "a std band per group in both charts");
        assertTrue(html.contains("0.150") && html.contains("0.900"), "per-class IoU, mean over seeds: " + html);
    }

    private static int count(String s, String part) {
        return s.split(Pattern.quote(part), -1).length - 1;
    }
}
