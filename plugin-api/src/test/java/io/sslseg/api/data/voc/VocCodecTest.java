package io.sslseg.api.data.voc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.api.data.DataException;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocCodecTest {
    @TempDir
    Path dir;

    @Test
    void paletteMatchesVoc() {
        assertEquals(0x000000, VocPalette.rgb(0));
        assertEquals(0x800000, VocPalette.rgb(1));
        assertEquals(0x008000, VocPalette.rgb(2));
        assertEquals(0x808000, VocPalette.rgb(3));
        assertEquals(0x000080, VocPalette.rgb(4));
        assertEquals(0x400000, VocPalette.rgb(8));
        assertEquals(0xC08000, VocPalette.rgb(11)); // VOC's 'dog'
        assertEquals(0xE0E0C0, VocPalette.rgb(255));
    }

    @Test
    void maskRoundTripKeepsIndices() {
        byte[] labels = new byte[7 * 5];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % 3 == 0 ? 255 : i % 11);
        }
        Path file = dir.resolve("m.png");
        VocImages.writeMask(file, new LabelMask(7, 5, labels));
        LabelMask back = VocImages.readMask(file);
        assertEquals(7, back.width());
        assertEquals(5, back.height());
        assertArrayEquals(labels, back.labels());
    }

    @Test
    void rgbRoundTripIsLossless() {
        byte[] rgb = new byte[9 * 4 * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 37);
        }
        Path file = dir.resolve("i.png");
        VocImages.writePng(file, new RgbImage(9, 4, rgb));
        assertArrayEquals(rgb, VocImages.readRgb(file).rgb());
    }

    @Test
    void readsJpegAndGreyImages() throws IOException {
        BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 1, 0, 200);
        Path png = dir.resolve("g.png");
        ImageIO.write(grey, "png", png.toFile());
        RgbImage g = VocImages.readRgb(png);
        assertEquals(200, g.get(1, 1, 0));
        assertEquals(200, g.get(1, 1, 2));
        // a grey PNG is also a valid mask (SBD's SegmentationClassAug files are stored that way)
        assertEquals(200, VocImages.readMask(png).get(1, 1));

        BufferedImage colour = new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                colour.setRGB(x, y, 0xC01020);
            }
        }
        Path jpg = dir.resolve("c.jpg");
        ImageIO.write(colour, "jpg", jpg.toFile());
        RgbImage c = VocImages.readRgb(jpg);
        assertTrue(Math.abs(c.get(5, 5, 0) - 0xC0) < 8, "red " + c.get(5, 5, 0));
        assertTrue(Math.abs(c.get(5, 5, 2) - 0x20) < 8, "blue " + c.get(5, 5, 2));
    }

    @Test
    void truncatedPngNamesTheFile() throws IOException {
        Path file = dir.resolve("t.png");
        VocImages.writePng(file, noise(32, 32));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        DataException e = assertThrows(DataException.class, () -> VocImages.readRgb(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedJpegIsAnErrorNotGreyPixels() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        img.getRaster().setDataElements(0, 0, 64, 64, noise(64, 64).rgb());
        Path file = dir.resolve("t.jpg");
        ImageIO.write(img, "jpg", file.toFile());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        DataException e = assertThrows(DataException.class, () -> VocImages.readRgb(file));
        assertEquals(file, e.file());
    }

    @Test
    void garbageIsNotAnImage() throws IOException {
        Path file = dir.resolve("x.png");
        Files.writeString(file, "this is not an image at all");
        DataException e = assertThrows(DataException.class, () -> VocImages.readRgb(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not a PNG or JPEG"),
                e.getMessage());
        Path empty = dir.resolve("e.png");
        Files.write(empty, new byte[0]);
        assertThrows(DataException.class, () -> VocImages.readMask(empty));
        DataException missing = assertThrows(DataException.class, () -> VocImages.readMask(dir.resolve("no.png")));
        assertTrue(missing.getMessage().endsWith("no.png: no such image file"), missing.getMessage());
    }

    @Test
    void corruptPngDataIsAnError() throws IOException {
        Path file = dir.resolve("c.png");
        VocImages.writePng(file, noise(32, 32));
        byte[] bytes = Files.readAllBytes(file);
        int idat = indexOf(bytes, "IDAT".getBytes());
        for (int i = idat + 10; i < idat + 60; i++) {
            bytes[i] = (byte) (bytes[i] ^ 0x5A);
        }
        Files.write(file, bytes);
        DataException e = assertThrows(DataException.class, () -> VocImages.readRgb(file));
        assertEquals(file, e.file());
    }

    @Test
    void rgbImageWhereMaskExpectedIsRefused() {
        Path file = dir.resolve("rgbmask.png");
        VocImages.writePng(file, noise(8, 8));
        DataException e = assertThrows(DataException.class, () -> VocImages.readMask(file));
        assertTrue(e.getMessage().startsWith(file + ": is an RGB image, not a label mask"), e.getMessage());
    }

    @Test
    void annotationRoundTripAndBrokenXml() throws IOException {
        Path file = dir.resolve("a.xml");
        VocAnnotation.write(file, "a.png", 64, 64, List.of("bag", "t-shirt", "a&b"));
        assertEquals(List.of("bag", "t-shirt", "a&b"), VocAnnotation.readObjectNames(file));

        Files.writeString(file, "<annotation><object><name>bag</name></object>");
        DataException e = assertThrows(DataException.class, () -> VocAnnotation.readObjectNames(file));
        assertTrue(e.getMessage().startsWith(file + ": not valid XML (line 1"), e.getMessage());

        Files.writeString(file, "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<annotation><object><name>&x;</name></object></annotation>");
        assertThrows(DataException.class, () -> VocAnnotation.readObjectNames(file));

        Files.writeString(file, "<html/>");
        e = assertThrows(DataException.class, () -> VocAnnotation.readObjectNames(file));
        assertTrue(e.getMessage().contains("expected <annotation>"), e.getMessage());
    }

    @Test
    void listsRejectEntriesThatEscape() throws IOException {
        Path file = dir.resolve("l.txt");
        Files.write(file, List.of(
                "2007_000032",
                "",
                "/JPEGImages/a.jpg /SegmentationClassAug/a.png",
                "JPEGImages/b.jpg SegmentationClass/b.png",
                "../secret",
                "/etc/passwd",
                "/JPEGImages/../../x.jpg /SegmentationClass/x.png",
                "/home/u/JPEGImages/c.jpg /SegmentationClass/c.png",
                "/JPEGImages/d.jpg /Annotations/d.xml",
                "a b c"));
        VocLists.Listing listing = VocLists.read(file);
        assertEquals(List.of("2007_000032", "a", "b"), listing.ids());
        assertEquals("JPEGImages/a.jpg", listing.entries().get(1).image());
        assertEquals("SegmentationClassAug/a.png", listing.entries().get(1).mask());
        assertEquals(6, listing.rejected().size(), listing.rejected().toString());
        assertTrue(listing.rejected().get(0).equals("line 5: '../secret' escapes the dataset folder; rejected, not read"),
                listing.rejected().get(0));
        assertTrue(listing.rejected().get(1).contains("line 6"));
        assertTrue(listing.rejected().get(2).contains("escapes"));
        assertTrue(listing.rejected().get(3).contains("absolute path"));
        assertFalse(listing.rejected().get(4).contains("escapes"));
    }

    @Test
    void writerCommitsOnlyWhenComplete() throws IOException {
        Path out = dir.resolve("voc");
        try (VocWriter writer = VocWriter.create(out)) {
            writer.writeSample("a", noise(4, 4), new LabelMask(4, 4, new byte[16]), List.of("bag"));
            assertFalse(Files.exists(out), "nothing under the final name before commit");
        }
        assertFalse(Files.exists(out));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "the partial folder is removed when not committed");
        }
        try (VocWriter writer = VocWriter.create(out)) {
            writer.writeSample("a", noise(4, 4), null, null);
            writer.writeList("train", List.of("a"));
            writer.writeClasses(List.of("background", "thing"));
            writer.commit();
        }
        VocLayout layout = VocLayout.locate(out);
        assertTrue(Files.isRegularFile(layout.images().resolve("a.png")));
        assertEquals(List.of("a"), VocLists.read(layout.list("train")).ids());
        assertThrows(DataException.class, () -> VocWriter.create(out), "refuses to overwrite");
    }

    @Test
    void locateAcceptsVocdevkitParent() throws IOException {
        Path voc = dir.resolve("data/VOCdevkit/VOC2012");
        Files.createDirectories(voc.resolve("JPEGImages"));
        assertEquals(voc.toAbsolutePath(), VocLayout.locate(dir.resolve("data")).root());
        assertEquals(voc.toAbsolutePath(), VocLayout.locate(voc).root());
        DataException e = assertThrows(DataException.class, () -> VocLayout.locate(dir));
        assertTrue(e.getMessage().contains("not a VOC folder"), e.getMessage());
    }

    private static RgbImage noise(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        long s = 12345;
        for (int i = 0; i < rgb.length; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            rgb[i] = (byte) (s >>> 56);
        }
        return new RgbImage(w, h, rgb);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
