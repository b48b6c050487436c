package io.sslseg.platform.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Curves read from a run's metrics lines, smoothed and averaged over seeds for the reports' charts. */
public final class Curves {
    /** Logged steps a loss curve is smoothed over: the raw loss of one batch is too noisy to read. */
    public static final int LOSS_WINDOW = 10;

    /** What the smoothing is, in a caption. */
    public static final String LOSS_SMOOTHING = "each point the mean of the " + LOSS_WINDOW + " logged steps centred on it";

    private Curves() {}

    /** (step, value) of every metrics line that holds a number under {@code key}, in file order. */
    public static List<double[]> of(List<Map<?, ?>> metrics, String key) {
        List<double[]> out = new ArrayList<>();
        for (Map<?, ?> m : metrics) {
            if (m.get("step") instanceof Number step && m.get(key) instanceof Number v) {
                out.add(new double[] {step.doubleValue(), v.doubleValue()});
            }
        }
        return out;
    }

    /**
     * Each point replaced by the mean of the {@code window} points centred on it (fewer at the ends): smooths without
     * shifting the curve to later steps, as a trailing mean would.
     */
    public static List<double[]> runningMean(List<double[]> curve, int window) {
        int half = window / 2;
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < curve.size(); i++) {
            int from = Math.max(0, i - half);
            int to = Math.min(curve.size() - 1, i + (window - 1 - half));
            double sum = 0;
            for (int k = from; k <= to; k++) {
                sum += curve.get(k)[1];
            }
            out.add(new double[] {curve.get(i)[0], sum / (to - from + 1)});
        }
        return out;
    }

    /**
     * One point per step any run logged: the mean over the runs that logged it and, where two or more did, their
     * sample standard deviation as the spread.
     */
    public static List<LineChart.Point> meanAndStd(List<List<double[]>> runs) {
        Map<Double, List<Double>> byStep = new LinkedHashMap<>();
        for (List<double[]> run : runs) {
            for (double[] p : run) {
                byStep.computeIfAbsent(p[0], k -> new ArrayList<>()).add(p[1]);
            }
        }
        List<LineChart.Point> out = new ArrayList<>();
        byStep.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            List<Double> v = e.getValue();
            double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double std = Double.NaN;
            if (v.size() > 1) {
                std = Math.sqrt(v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (v.size() - 1));
            }
            out.add(new LineChart.Point(e.getKey(), mean, std));
        });
        return out;
    }
}
