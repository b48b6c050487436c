package io.sslseg.platform.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG: axes with ticks scaled to the data (not to a fixed range), one curve per series told
 * apart by colour and by line style, an optional shaded band of +- one std around each curve, and a legend whose
 * entries hide and show their curve when clicked (see {@link HtmlPage#SCRIPT}). One chart shows one quantity: the
 * caller names it once, on the y axis.
 */
public final class LineChart {
    /** A curve: points (x, y) with an optional spread (NaN where none) drawn as a band y +- spread. */
    public record Series(String name, List<Point> points) {}

    public record Point(double x, double y, double spread) {
        public Point(double x, double y) {
            this(x, y, Double.NaN);
        }
    }

    static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf"};
    /** Solid, dashed, dotted, dash-dot: with the colours, 20 curves differ in both before a pair repeats one. */
    static final String[] DASHES = {"", "7 4", "2 3", "9 3 2 3"};

    private static final int WIDTH = 560;
    private static final int HEIGHT = 260;
    private static final int LEFT = 62;
    private static final int RIGHT = 12;
    private static final int TOP = 12;
    private static final int BOTTOM = 42;
    private static final int LEGEND = 230;

    private final String xLabel;
    private final String yLabel;
    private final List<Series> series;

    public LineChart(String xLabel, String yLabel, List<Series> series) {
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.series = List.copyOf(series);
    }

    /** Series {@code i}'s stroke colour; the legend and any other view of the same series use it too. */
    public static String colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    static String dash(int i) {
        // the dash advances with each series, so neighbours differ in style as well as colour
        return DASHES[i % DASHES.length];
    }

    /** The range [lo, hi] of every finite y (band included), or null when there is none. */
    double[] yRange() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (Point p : s.points()) {
                if (Double.isFinite(p.y())) {
                    double spread = Double.isFinite(p.spread()) ? p.spread() : 0;
                    lo = Math.min(lo, p.y() - spread);
                    hi = Math.max(hi, p.y() + spread);
                }
            }
        }
        return lo > hi ? null : new double[] {lo, hi};
    }

    /**
     * Tick values covering [lo, hi] at a "nice" step (1, 2, 2.5 or 5 times a power of ten), about five of them; the
     * first tick is at or below lo, the last at or above hi.
     */
    static double[] ticks(double lo, double hi) {
        // a flat curve (rounding noise counts as flat): a range around its value, as ticks finer than a double can't be
        if (!(hi - lo > 1e-9 * Math.max(Math.abs(lo), Math.abs(hi)))) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double rough = (hi - lo) / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double step = magnitude * 10;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= rough) {
                step = m * magnitude;
                break;
            }
        }
        double first = Math.floor(lo / step + 1e-9) * step;
        double last = Math.ceil(hi / step - 1e-9) * step;
        int n = (int) Math.round((last - first) / step) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = first + i * step;
        }
        return t;
    }

    public String svg() {
        double xMax = 0;
        double xMin = Double.POSITIVE_INFINITY;
        for (Series s : series) {
            for (Point p : s.points()) {
                xMax = Math.max(xMax, p.x());
                xMin = Math.min(xMin, p.x());
            }
        }
        double[] range = yRange();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart\" width=\"%d\" height=\"%d\" role=\"img\">",
                WIDTH + LEGEND, HEIGHT));
        if (range == null) {
            return sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">no data</text></svg>", LEFT, HEIGHT / 2))
                    .toString();
        }
        double[] xt = ticks(Math.min(0, xMin), xMax);
        double[] yt = ticks(range[0], range[1]);
        Scale x = new Scale(xt[0], xt[xt.length - 1], LEFT, WIDTH - RIGHT);
        Scale y = new Scale(yt[0], yt[yt.length - 1], HEIGHT - BOTTOM, TOP);
        sb.append("<g class=\"axes\" font-size=\"11\" fill=\"#333\">");
        for (double v : yt) {
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT, WIDTH - RIGHT, y.at(v), y.at(v),
                    LEFT - 5, y.at(v) + 4, label(v, yt)));
        }
        for (double v : xt) {
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x.at(v), x.at(v), HEIGHT - BOTTOM,
                    HEIGHT - BOTTOM + 4, x.at(v), HEIGHT - BOTTOM + 16, label(v, xt)));
        }
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>",
                LEFT, TOP, WIDTH - RIGHT - LEFT, HEIGHT - BOTTOM - TOP));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 6, HtmlPage.escape(xLabel)));
        sb.append(String.format(Locale.ROOT, "<text transform=\"translate(14,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>",
                (TOP + HEIGHT - BOTTOM) / 2, HtmlPage.escape(yLabel)));
        sb.append("</g>");
        for (int i = 0; i < series.size(); i++) {
            sb.append(curve(i, series.get(i), x, y));
        }
        sb.append("<g class=\"legend\" font-size=\"11\">");
        for (int i = 0; i < series.size(); i++) {
            int ly = TOP + 8 + 16 * i;
            sb.append(String.format(Locale.ROOT, "<g class=\"legend-item\" data-series=\"%d\" style=\"cursor:pointer\">"
                    + "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2.5\"%s/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text></g>", i, WIDTH + 8, WIDTH + 38, ly, ly, colour(i), dashAttr(i),
                    WIDTH + 44, ly + 4, HtmlPage.escape(series.get(i).name())));
        }
        return sb.append("</g></svg>").toString();
    }

    private static String curve(int i, Series s, Scale x, Scale y) {
        List<Point> pts = s.points().stream().filter(p -> Double.isFinite(p.y())).toList();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "<g class=\"series\" data-series=\"%d\">", i));
        List<Point> banded = pts.stream().filter(p -> Double.isFinite(p.spread())).toList();
        if (banded.size() > 1) {
            List<String> outline = new ArrayList<>();
            banded.forEach(p -> outline.add(String.format(Locale.ROOT, "%.1f,%.1f", x.at(p.x()), y.at(p.y() + p.spread()))));
            for (int k = banded.size() - 1; k >= 0; k--) {
                Point p = banded.get(k);
                outline.add(String.format(Locale.ROOT, "%.1f,%.1f", x.at(p.x()), y.at(p.y() - p.spread())));
            }
            sb.append(String.format(Locale.ROOT, "<polygon fill=\"%s\" fill-opacity=\"0.18\" stroke=\"none\" points=\"%s\"/>",
                    colour(i), String.join(" ", outline)));
        }
        StringBuilder line = new StringBuilder();
        pts.forEach(p -> line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.at(p.x()), y.at(p.y()))));
        sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\">"
                + "<title>%s</title></polyline>", colour(i), dashAttr(i), line.toString().trim(), HtmlPage.escape(s.name())));
        if (pts.size() == 1) { // a single evaluation still shows
            sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                    x.at(pts.get(0).x()), y.at(pts.get(0).y()), colour(i)));
        }
        return sb.append("</g>").toString();
    }

    private static String dashAttr(int i) {
        return dash(i).isEmpty() ? "" : " stroke-dasharray=\"" + dash(i) + "\"";
    }

    /** A tick's label with as many decimals as the tick step needs. */
    static String label(double v, double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        int decimals = Math.min(12, Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9)));
        if (Math.abs(step * Math.pow(10, decimals) - Math.round(step * Math.pow(10, decimals))) > 1e-6) {
            decimals++; // a 2.5 step
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step * 1e-9 ? 0 : v);
    }

    private record Scale(double from, double to, double pixelFrom, double pixelTo) {
        double at(double v) {
            return pixelFrom + (v - from) / (to - from) * (pixelTo - pixelFrom);
        }
    }
}
