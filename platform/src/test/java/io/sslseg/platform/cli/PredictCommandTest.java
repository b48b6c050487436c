package io.sslseg.platform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.ImageNormalization;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import io.sslseg.platform.export.ExportMetadata;
import io.sslseg.platform.export.Segmenter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictCommandTest {
    private static final ExportMetadata MD = new ExportMetadata(List.of("background", "red", "green"),
            new ImageNormalization(new float[] {0, 0, 0}, new float[] {1, 1, 1}), 8, 8, "t", "x", "best.ckpt", 1, "student", 0);

    /**
     * A stand-in network whose logits are the input's colour planes: class 0 wins where blue is largest, 1 where red
     * is, 2 where green is. It records the input shapes it was given.
     */
    private static final class ColourSegmenter implements Segmenter {
        final List<long[]> shapes = new ArrayList<>();

        @Override
        public ExportMetadata metadata() {
            return MD;
        }

        @Override
        public NDArray logits(NDArray images) {
            shapes.add(images.getShape().getShape());
            return images.get(":, {}, :, :", images.getManager().create(new int[] {2, 0, 1}));
        }

        @Override
        public void close() {}
    }

    @Test
    void anImageOfAnySizeIsPaddedToTheStrideAndItsMaskCroppedBack() {
        int w = 13;
        int h = 5;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                rgb[i + (x < 4 ? 0 : x < 9 ? 1 : 2)] = (byte) 200; // red | green | blue columns
            }
        }
        ColourSegmenter segmenter = new ColourSegmenter();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            LabelMask mask = PredictCommand.predict(segmenter, MD, new RgbImage(w, h, rgb), m);
            assertEquals(w, mask.width());
            assertEquals(h, mask.height());
            assertEquals(List.of(1L, 3L, 8L, 16L), List.of(segmenter.shapes.get(0)[0], segmenter.shapes.get(0)[1],
                    segmenter.shapes.get(0)[2], segmenter.shapes.get(0)[3]), "padded to multiples of 8");
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    assertEquals(x < 4 ? 1 : x < 9 ? 2 : 0, mask.get(x, y), "pixel " + x + "," + y);
                }
            }
        }
    }

    @Test
    void overlayBlendsClassColoursAndKeepsBackground() {
        RgbImage image = new RgbImage(2, 1, new byte[] {100, 100, 100, 100, 100, 100});
        RgbImage o = PredictCommand.overlay(image, new LabelMask(2, 1, new byte[] {0, 1}));
        assertEquals(List.of(100, 100, 100, (100 + 128) / 2, 50, 50),
                List.of(o.get(0, 0, 0), o.get(0, 0, 1), o.get(0, 0, 2), o.get(1, 0, 0), o.get(1, 0, 1), o.get(1, 0, 2)));
    }

    @Test
    void inputsExpandFromFilesFoldersAndGlobs(@TempDir Path dir) throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Files.writeString(a.resolve("x.png"), "");
        Files.writeString(a.resolve("y.JPG"), "");
        Files.writeString(a.resolve("notes.txt"), "");
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(b.resolve("z.png"), "");
        Files.writeString(b.resolve("x.png"), "");
        Map<String, Path> folder = PredictCommand.expand(List.of(a.toString()));
        assertEquals(List.of("x", "y"), List.copyOf(folder.keySet()), "a folder's images, not its other files");
        Map<String, Path> glob = PredictCommand.expand(List.of(b + "/z*"));
        assertEquals(List.of("z"), List.copyOf(glob.keySet()));
        var clash = assertThrows(SslsegException.class, () -> PredictCommand.expand(List.of(a.toString(), b.toString())));
        assertTrue(clash.getMessage().contains("x.png"), clash.getMessage());
        var missing = assertThrows(SslsegException.class, () -> PredictCommand.expand(List.of(dir + "/nope")));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
        var empty = assertThrows(SslsegException.class, () -> PredictCommand.expand(List.of(b + "/*.jpg")));
        assertTrue(empty.getMessage().contains("*.jpg"), empty.getMessage());
    }
}
