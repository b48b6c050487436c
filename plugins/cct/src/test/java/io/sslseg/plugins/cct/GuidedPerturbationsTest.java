package io.sslseg.plugins.cct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.ssl.PerturbationContext;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Context masking, object masking and G-Cutout on hand-made main predictions. */
class GuidedPerturbationsTest {
    private static final int CLASSES = 3;

    /** Main logits N x 3 x H x W: class {@code label[n][y][x]} gets logit 1, the others 0 (ReLU-like, >= 0). */
    private static NDArray logitsFor(NDManager m, int[][][] label) {
        int n = label.length, h = label[0].length, w = label[0][0].length;
        float[] l = new float[n * CLASSES * h * w];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    l[((b * CLASSES + label[b][y][x]) * h + y) * w + x] = 1f;
                }
            }
        }
        return m.create(l, new Shape(n, CLASSES, h, w));
    }

    /** z = 1 + index, so every element is distinct and nonzero. */
    private static NDArray features(NDManager m, long... shape) {
        return m.arange(1f, new Shape(shape).size() + 1f).reshape(shape);
    }

    private static void fill(int[][] image, int y0, int y1, int x0, int x1, int label) {
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                image[y][x] = label;
            }
        }
    }

    @Test
    void nearestResizeReadsFloorOfIOverScale() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // 1 x 8 x 8 mask with a single 1 at every (y, x) = (y, x) code: read back which input each output took
            float[] code = new float[64];
            for (int i = 0; i < 64; i++) {
                code[i] = i;
            }
            NDArray masks = m.create(code, new Shape(1, 8, 8));
            NDArray z = m.zeros(new Shape(1, 2, 3, 3));
            NDArray out = GuidedMasks.toFeatureGrid(masks, z);
            assertEquals(new Shape(1, 1, 3, 3), out.getShape());
            // floor(i * 8 / 3) = 0, 2, 5 in both directions
            assertArrayEquals(new float[] {0, 2, 5, 16, 18, 21, 40, 42, 45}, out.toFloatArray());
            assertSame(z.getManager(), out.getManager(), "the mask must live in z's manager");
        }
    }

    @Test
    void contextMaskingKeepsObjectsAndObjectMaskingKeepsContext() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            int[][][] label = new int[2][8][8];
            fill(label[0], 1, 4, 3, 6, 2); // an object at rows 1..4, cols 3..6; sample 1 all background
            NDArray main = logitsFor(m, label);
            // all-zero logits (common behind the decoder's last ReLU): argmax picks class 0, background
            main.set(new NDIndex("0, :, 2, 4"), 0f);
            NDArray z = features(m, 2, 2, 4, 4);
            // z is 4x4: output (i, j) reads image (2i, 2j); the object covers z rows 1..2, cols 2..3, except the
            // tie at image (2, 4) = z (1, 2)
            float[] expectedM = new float[2 * 16];
            for (int i = 1; i <= 2; i++) {
                for (int j = 2; j <= 3; j++) {
                    expectedM[i * 4 + j] = 1;
                }
            }
            expectedM[4 + 2] = 0;
            PerturbationContext ctx = TestContexts.fixed(main, 1);
            float[] zv = z.toFloatArray();
            float[] context = new GuidedMasking(true).apply(z, ctx).toFloatArray();
            float[] object = new GuidedMasking(false).apply(z, ctx).toFloatArray();
            for (int i = 0; i < zv.length; i++) {
                int b = i / 32, pos = i % 16;
                float mask = expectedM[b * 16 + pos];
                assertEquals(zv[i] * mask, context[i], "context masking at " + i);
                assertEquals(zv[i] * (1 - mask), object[i], "object masking at " + i);
            }
        }
    }

    @Test
    void cutoutZeroesOneRectangleOfFortyPercentInsideEachObjectsBox() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            int[][][] label = new int[2][20][20];
            fill(label[0], 2, 11, 4, 13, 1); // 10x10 object: box sides max-min = 9, cut int(9*0.4) = 3
            fill(label[0], 15, 16, 15, 16, 2); // a 2x2 blob, below minObjectPixels: not cut
            NDArray main = logitsFor(m, label);
            NDArray z = features(m, 2, 3, 20, 20); // stride 1: the cut shows at image resolution
            GuidedCutout cutout = new GuidedCutout(GuidedCutout.Params.DEFAULTS);
            Set<Integer> corners = new HashSet<>();
            for (long seed = 0; seed < 20; seed++) {
                float[] zv = z.toFloatArray();
                float[] out = cutout.apply(z, TestContexts.fixed(main, seed)).toFloatArray();
                int minY = 99, minX = 99, maxY = -1, maxX = -1, zeros = 0;
                for (int i = 0; i < zv.length; i++) {
                    int b = i / 1200, c = (i / 400) % 3, y = (i / 20) % 20, x = i % 20;
                    if (out[i] == 0) {
                        assertEquals(0, b, "sample 1 has no object and must be untouched");
                        if (c == 0) {
                            zeros++;
                            minY = Math.min(minY, y);
                            maxY = Math.max(maxY, y);
                            minX = Math.min(minX, x);
                            maxX = Math.max(maxX, x);
                        }
                    } else {
                        assertEquals(zv[i], out[i], "untouched elsewhere");
                    }
                }
                assertEquals(9, zeros, "a 3x3 rectangle per channel");
                assertEquals(2, maxY - minY, "3 rows");
                assertEquals(2, maxX - minX, "3 columns");
                // offsets in [0, int(9 * 0.6)] = [0, 5] from the box's corner (2, 4)
                assertTrue(minY >= 2 && minY <= 7 && minX >= 4 && minX <= 9, "rectangle at " + minY + "," + minX);
                corners.add(minY * 100 + minX);
                float[] again = cutout.apply(z, TestContexts.fixed(main, seed)).toFloatArray();
                assertArrayEquals(out, again, "the same seed gives the same cut");
            }
            assertTrue(corners.size() > 5, "the offsets are random across seeds: " + corners);
        }
    }

    @Test
    void cutoutMaskIsResizedToTheFeatureGrid() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            int[][][] label = new int[1][16][16];
            fill(label[0], 0, 15, 0, 15, 1); // the whole image is one object: box 15 x 15, cut int(15*0.4) = 6
            NDArray z = m.ones(new Shape(1, 1, 4, 4));
            float[] out = new GuidedCutout(GuidedCutout.Params.DEFAULTS).apply(z, TestContexts.fixed(logitsFor(m, label), 3))
                    .toFloatArray();
            int zeros = 0;
            for (float v : out) {
                zeros += v == 0 ? 1 : 0;
            }
            // a 6x6 hole at image resolution covers 1 or 2 of the sampled rows (every 4th) and columns
            assertTrue(zeros >= 1 && zeros <= 4, zeros + " zeroed cells");
        }
    }

    @Test
    void resultsLiveInZsManagerNotTheMainPredictions() {
        try (NDManager m = NDManager.newBaseManager("PyTorch"); NDManager step = m.newSubManager()) {
            int[][][] label = new int[1][16][16];
            fill(label[0], 2, 13, 2, 13, 1);
            PerturbationContext ctx = TestContexts.fixed(logitsFor(m, label), 1);
            NDArray z = step.ones(new Shape(1, 2, 4, 4));
            for (var p : List.of(new GuidedMasking(true), new GuidedMasking(false), new GuidedCutout(GuidedCutout.Params.DEFAULTS),
                    new FeatureDropout(FeatureDropout.Params.DEFAULTS), new FeatureDrop(FeatureDrop.Params.DEFAULTS),
                    new FeatureNoise(FeatureNoise.Params.DEFAULTS))) {
                assertSame(step, p.apply(z, ctx).getManager(), p.getClass().getSimpleName());
            }
        }
    }

    @Test
    void objectsAreEightConnectedComponentsWithTheirBoxes() {
        float[] mask = {
            1, 0, 0, 0, 0,
            0, 1, 0, 0, 1,
            0, 0, 0, 1, 1,
            0, 0, 0, 0, 0,
        };
        List<GuidedCutout.Box> boxes = GuidedCutout.objects(mask, 0, 4, 5, 1);
        assertEquals(List.of(new GuidedCutout.Box(0, 0, 1, 1, 2), new GuidedCutout.Box(1, 3, 2, 4, 3)), boxes);
        assertEquals(List.of(new GuidedCutout.Box(1, 3, 2, 4, 3)), GuidedCutout.objects(mask, 0, 4, 5, 3));
        assertEquals(List.of(), GuidedCutout.objects(mask, 0, 4, 5, 4));
    }
}
