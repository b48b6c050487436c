package io.sslseg.api.data.voc;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sslseg.api.data.DataException;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged masks and images, made by flipping, cutting and overwriting bytes of good ones: each read either gives an
 * image of the right shape or a {@link DataException} naming the file, never another exception.
 */
class VocFuzzTest {
    private static final int CASES = 400;

    @Test
    void damagedMasksAndImagesFailNamingTheFileOrDecodeToTheirShape(@TempDir Path tmp) throws Exception {
        Random random = new Random(20261204);
        byte[] labels = new byte[40 * 30];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % 7 == 0 ? 255 : i % 11);
        }
        Path mask = tmp.resolve("mask.png");
        VocImages.writeMask(mask, new LabelMask(40, 30, labels));
        byte[] rgb = new byte[40 * 30 * 3];
        random.nextBytes(rgb);
        Path image = tmp.resolve("image.png");
        VocImages.writePng(image, new RgbImage(40, 30, rgb));
        int refused = 0;
        for (Path good : new Path[] {mask, image}) {
            byte[] original = Files.readAllBytes(good);
            Path bad = tmp.resolve("bad-" + good.getFileName());
            for (int c = 0; c < CASES; c++) {
                byte[] bytes = mutate(original, random);
                Files.write(bad, bytes);
                try {
                    if (good == mask) {
                        LabelMask m = VocImages.readMask(bad);
                        assertTrue(m.labels().length == m.width() * m.height(), "case " + c);
                    } else {
                        RgbImage im = VocImages.readRgb(bad);
                        assertTrue(im.rgb().length == 3 * im.width() * im.height(), "case " + c);
                    }
                } catch (DataException e) {
                    assertTrue(e.getMessage().startsWith(bad + ": "), e.getMessage());
                    refused++;
                } catch (RuntimeException | Error e) {
                    fail("case " + c + " of " + good.getFileName() + ": " + e, e);
                }
            }
        }
        assertTrue(refused > CASES / 2, "most damage is caught: " + refused + " of " + 2 * CASES);
    }

    /** One of: flip a few bits, cut the file short, overwrite a run of bytes with random ones. */
    private static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            default -> {
                int at = random.nextInt(bytes.length);
                for (int i = at; i < Math.min(bytes.length, at + 1 + random.nextInt(32)); i++) {
                    bytes[i] = (byte) random.nextInt(256);
                }
            }
        }
        return bytes;
    }
}
