package io.sslseg.platform.report;

import io.sslseg.platform.eval.ValExample;
import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML report page (no file or network it needs to open): headings, tables, charts with a caption
 * under each, image panels as inline PNGs, and one small script for the legends.
 */
public final class HtmlPage {
    /** The attribute the page's script sets on {@code <html>} once it ran to the end (the browser test reads it). */
    public static final String READY_ATTRIBUTE = "data-report-ready";

    /** Clicking a legend entry hides or shows its curve; then the page says it is ready. */
    static final String SCRIPT = """
            document.querySelectorAll('svg.chart').forEach(function (chart) {
              chart.querySelectorAll('.legend-item').forEach(function (item) {
                item.addEventListener('click', function () {
                  var curve = chart.querySelector('.series[data-series="' + item.dataset.series + '"]');
                  var hidden = curve.style.display === 'none';
                  curve.style.display = hidden ? '' : 'none';
                  item.style.opacity = hidden ? 1 : 0.35;
                });
              });
            });
            document.documentElement.setAttribute('%s', 'yes');
            """.formatted(READY_ATTRIBUTE);

    private static final String STYLE = "body{font-family:'DejaVu Sans',sans-serif;margin:2em;max-width:1100px;color:#222}"
            + "table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;"
            + "text-align:left}figure{margin:1em 0 2em 0}figcaption{font-size:13px;color:#444;max-width:790px}"
            + ".bar{background:#4a7;height:10px}.panel img{image-rendering:pixelated;width:112px;display:block}"
            + ".panel td{vertical-align:top}.panel th{font-weight:normal;font-size:12px}"
            + "pre{background:#f6f6f6;padding:0.5em;font-size:12px;overflow:auto}.failed{color:#a00}";

    private final StringBuilder body = new StringBuilder();
    private final String title;

    public HtmlPage(String title) {
        this.title = title;
        body.append("<h1>").append(escape(title)).append("</h1>\n");
    }

    public HtmlPage heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    public HtmlPage paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** Raw HTML the caller built (escaped already). */
    public HtmlPage raw(String html) {
        body.append(html);
        return this;
    }

    /** A chart with its caption under it. */
    public HtmlPage figure(String svgOrTable, String caption) {
        body.append("<figure>").append(svgOrTable).append("<figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
        return this;
    }

    /** A two-column table of names and values. */
    public HtmlPage facts(List<String[]> rows) {
        body.append("<table>");
        rows.forEach(r -> body.append("<tr><th>").append(escape(r[0])).append("</th><td>").append(escape(r[1]))
                .append("</td></tr>"));
        body.append("</table>\n");
        return this;
    }

    public HtmlPage preformatted(String summary, String text) {
        body.append("<details><summary>").append(escape(summary)).append("</summary><pre>").append(escape(text))
                .append("</pre></details>\n");
        return this;
    }

    /**
     * The qualitative panel, as the poster lays it out: one row per val image, its columns the image, the true mask and
     * each source's prediction of it (sources' lists in the same image order).
     */
    public HtmlPage panel(List<String> sources, List<List<ValExample>> predictions) {
        int rows = predictions.stream().mapToInt(List::size).min().orElse(0);
        body.append("<table class=\"panel\"><tr><th>image</th><th>ground truth</th>");
        sources.forEach(s -> body.append("<th>").append(escape(s)).append("</th>"));
        body.append("</tr>\n");
        for (int r = 0; r < rows; r++) {
            ValExample first = predictions.get(0).get(r);
            body.append("<tr><td>").append(img(first.image())).append("</td><td>").append(img(first.truthImage()))
                    .append("</td>");
            for (List<ValExample> p : predictions) {
                body.append("<td>").append(img(p.get(r).predictionImage())).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /**
     * Per-class IoU as a table with bars: one row per class, one column per source.
     *
     * @param iou per source, its IoU per class (NaN where the class never occurred)
     */
    public static String iouTable(List<String> classNames, List<String> sources, List<double[]> iou) {
        StringBuilder sb = new StringBuilder("<table><tr><th>class</th>");
        sources.forEach(s -> sb.append("<th>").append(escape(s)).append("</th>"));
        sb.append("</tr>\n");
        for (int c = 0; c < classNames.size(); c++) {
            sb.append("<tr><td>").append(escape(classNames.get(c))).append("</td>");
            for (double[] values : iou) {
                double v = c < values.length ? values[c] : Double.NaN;
                sb.append(String.format(Locale.ROOT, "<td><div class=\"bar\" style=\"width:%.0fpx\"></div>%s</td>",
                        Double.isNaN(v) ? 0 : 120 * v, Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v)));
            }
            sb.append("</tr>\n");
        }
        return sb.append("</table>").toString();
    }

    public String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n<style>"
                + STYLE + "</style></head><body>\n" + body + "<script>\n" + SCRIPT + "</script>\n</body></html>\n";
    }

    static String img(BufferedImage im) {
        return "<img alt=\"\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(ValExample.png(im)) + "\">";
    }

    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
