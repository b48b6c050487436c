package io.sslseg.platform.eval;

import io.sslseg.api.data.LabelMask;
import java.util.Arrays;

/**
 * Pixel counts by (true class, predicted class), 255 ignored. mIoU follows the reference: the mean over
 * ALL classes of intersection / (union + eps), so a class absent from both truth and prediction counts 0
 * (sslseg's {@code data validate} warns about classes absent from val for that reason).
 */
public final class ConfusionMatrix {
    private static final double EPS = 1e-10;
    private final int numClasses;
    private final long[] counts;

    public ConfusionMatrix(int numClasses) {
        this.numClasses = numClasses;
        this.counts = new long[numClasses * numClasses];
    }

    public int numClasses() {
        return numClasses;
    }

    /**
     * @param predicted class per pixel
     * @param labels true class per pixel (unsigned bytes), {@link LabelMask#IGNORE} skipped
     */
    public void add(int[] predicted, byte[] labels, int offset, int length) {
        for (int i = 0; i < length; i++) {
            int t = labels[offset + i] & 0xFF;
            if (t == LabelMask.IGNORE) {
                continue;
            }
            if (t >= numClasses) {
                throw new IllegalArgumentException("label " + t + " is not a class (0.." + (numClasses - 1) + ") or 255");
            }
            counts[t * numClasses + predicted[i]]++;
        }
    }

    /** A predicted mask against its true one, both the same size (as {@code predict} and a VOC folder give them). */
    public void add(LabelMask predicted, LabelMask truth) {
        if (predicted.width() != truth.width() || predicted.height() != truth.height()) {
            throw new IllegalArgumentException("prediction " + predicted.width() + "x" + predicted.height()
                    + " against truth " + truth.width() + "x" + truth.height());
        }
        byte[] p = predicted.labels();
        int[] classes = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            classes[i] = p[i] & 0xFF; // mask bytes are unsigned class ids
        }
        add(classes, truth.labels(), 0, classes.length);
    }

    public long count(int truth, int predicted) {
        return counts[truth * numClasses + predicted];
    }

    public void merge(ConfusionMatrix other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
    }

    public double[] iou() {
        double[] iou = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            long inter = count(c, c);
            long truth = 0;
            long pred = 0;
            for (int k = 0; k < numClasses; k++) {
                truth += count(c, k);
                pred += count(k, c);
            }
            iou[c] = inter / (truth + pred - inter + EPS);
        }
        return iou;
    }

    public double meanIou() {
        return Arrays.stream(iou()).average().orElse(0);
    }

    public double pixelAccuracy() {
        long correct = 0;
        long total = 0;
        for (int c = 0; c < numClasses; c++) {
            correct += count(c, c);
        }
        for (long n : counts) {
            total += n;
        }
        return total == 0 ? 0 : (double) correct / total;
    }

    public long labeledPixels() {
        return Arrays.stream(counts).sum();
    }

    /** Pixels per true class. */
    public long[] truthHistogram() {
        long[] h = new long[numClasses];
        for (int t = 0; t < numClasses; t++) {
            for (int p = 0; p < numClasses; p++) {
                h[t] += count(t, p);
            }
        }
        return h;
    }
}
