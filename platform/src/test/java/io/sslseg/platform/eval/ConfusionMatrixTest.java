package io.sslseg.platform.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.sslseg.api.data.LabelMask;
import io.sslseg.testkit.Golden;
import org.junit.jupiter.api.Test;

/** mIoU, pixel accuracy and per-class IoU against CCT's metric code (golden cases a and b). */
class ConfusionMatrixTest {

    @Test
    void matchesReferenceMetrics() {
        check("metrics_a", "labels");
        check("metrics_b_absent_class", "labels_b");
    }

    private static void check(String key, String labelsKey) {
        JsonNode out = Golden.output(key);
        int classes = out.get("num_classes").asInt();
        float[] pred = Golden.flatten(out.get("pred"));
        float[] lab = Golden.flatten(Golden.input(labelsKey));
        int[] p = new int[pred.length];
        byte[] l = new byte[lab.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (int) pred[i];
            l[i] = (byte) (int) lab[i];
        }
        ConfusionMatrix cm = new ConfusionMatrix(classes);
        cm.add(p, l, 0, p.length);
        JsonNode rows = out.get("confusion_matrix_rows_label_cols_pred");
        for (int t = 0; t < classes; t++) {
            for (int q = 0; q < classes; q++) {
                assertEquals(rows.get(t).get(q).asLong(), cm.count(t, q), key + " cell " + t + "," + q);
            }
        }
        assertEquals(out.get("labeled").asLong(), cm.labeledPixels());
        assertEquals(out.get("pixel_accuracy").asDouble(), cm.pixelAccuracy(), 1e-9);
        assertEquals(out.get("mIoU").asDouble(), cm.meanIou(), 1e-6);
        double[] iou = cm.iou();
        for (int c = 0; c < classes; c++) {
            assertEquals(out.get("IoU").get(c).asDouble(), iou[c], 1e-6, key + " IoU " + c);
        }
    }

    @Test
    void accumulatingPerImageEqualsOneShot() {
        JsonNode out = Golden.output("metrics_a");
        float[] pred = Golden.flatten(out.get("pred"));
        float[] lab = Golden.flatten(Golden.input("labels"));
        int half = pred.length / 2;
        ConfusionMatrix total = new ConfusionMatrix(5);
        for (int img = 0; img < 2; img++) {
            ConfusionMatrix one = new ConfusionMatrix(5);
            int[] p = new int[half];
            byte[] l = new byte[half];
            for (int i = 0; i < half; i++) {
                p[i] = (int) pred[img * half + i];
                l[i] = (byte) (int) lab[img * half + i];
            }
            one.add(p, l, 0, half);
            total.merge(one);
        }
        assertEquals(Golden.output("metrics_a_accumulated_per_image").get("mIoU").asDouble(), total.meanIou(), 1e-6);
    }

    @Test
    void masksCountAsTheirUnsignedClassIdsAndIgnore255() {
        // 2x2: truth background, class 1, ignore, class 200 (a byte above 127); predicted 0, 1, 3, 200
        LabelMask truth = new LabelMask(2, 2, new byte[] {0, 1, (byte) 255, (byte) 200});
        LabelMask predicted = new LabelMask(2, 2, new byte[] {0, 1, 3, (byte) 200});
        ConfusionMatrix cm = new ConfusionMatrix(201);
        cm.add(predicted, truth);
        assertEquals(1, cm.count(0, 0));
        assertEquals(1, cm.count(1, 1));
        assertEquals(1, cm.count(200, 200), "not -56");
        assertEquals(3, cm.labeledPixels(), "the 255 pixel is ignored");
        assertThrows(IllegalArgumentException.class,
                () -> cm.add(new LabelMask(1, 1, new byte[] {0}), truth));
    }
}
