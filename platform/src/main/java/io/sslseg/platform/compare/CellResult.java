package io.sslseg.platform.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sslseg.platform.report.Curves;
import io.sslseg.platform.run.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a finished cell's run folder says: its summary and its curves.
 *
 * @param parameters the segmentation network's trainable parameters (a method's own blocks not counted)
 * @param valCurve (step, val mIoU) pairs
 * @param supervisedLossCurve (step, supervised loss on the labelled batch) pairs: the one loss every method has
 * @param lastIou per-class IoU of the last evaluation
 */
public record CellResult(Grid.Cell cell, long parameters, double stepMillis, long peakRssMb, double bestMiou,
        double lastMiou, List<double[]> valCurve, List<double[]> supervisedLossCurve, double[] lastIou) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static CellResult read(Grid.Cell cell, Path dir) {
        try {
            Map<?, ?> s = JSON.readValue(dir.resolve(RunFolder.SUMMARY).toFile(), Map.class);
            List<Map<?, ?>> metrics = RunFolder.readMetrics(dir);
            double[] iou = new double[0];
            for (Map<?, ?> m : metrics) {
                if (m.get("iou") instanceof List<?> values) {
                    iou = values.stream().mapToDouble(CellResult::num).toArray();
                }
            }
            double sps = num(s.get("steps_per_second"));
            return new CellResult(cell, (long) num(s.get("network_parameters")), sps > 0 ? 1000 / sps : Double.NaN,
                    (long) num(s.get("peak_rss_mb")), num(s.get("best_miou")), num(s.get("final_miou")), Curves.of(metrics, "miou"),
                    Curves.of(metrics, "loss_sup"), iou);
        } catch (IOException | RuntimeException e) {
            throw new io.sslseg.api.SslsegException(dir + ": cannot read the cell's results (" + e.getMessage() + ")");
        }
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
