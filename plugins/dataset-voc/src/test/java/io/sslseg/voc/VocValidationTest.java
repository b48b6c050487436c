package io.sslseg.voc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sslseg.api.Progress;
import io.sslseg.api.data.DataException;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.Split;
import io.sslseg.api.data.ValidationReport;
import io.sslseg.api.data.voc.VocAnnotation;
import io.sslseg.api.data.voc.VocImages;
import io.sslseg.api.data.voc.VocLayout;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small VOC folders written inside the test, each broken in one way. */
class VocValidationTest {
    @TempDir
    Path dir;
    Path root;
    VocLayout voc;

    /** A valid folder: 4 train images (2 labelled in labeled_2), 2 val, 21 VOC classes, 8x6 images. */
    @BeforeEach
    void writeGoodFolder() throws IOException {
        root = dir.resolve("VOCdevkit/VOC2012");
        voc = new VocLayout(root);
        for (Path d : List.of(voc.images(), voc.masks(), voc.annotations(), voc.lists())) {
            Files.createDirectories(d);
        }
        for (String id : List.of("a", "b", "c", "d", "v1", "v2")) {
            image(id, 8, 6);
            mask(id, 8, 6, id.startsWith("v") ? 15 : 12);
            VocAnnotation.write(voc.annotation(id), id + ".jpg", 8, 6, List.of("person", "dog"));
        }
        list("train", "a", "b", "c", "d");
        list("labeled_2", "a", "b");
        list("val", "v1", "v2");
    }

    private VocDataset dataset(int labeled, boolean weak) {
        return new VocDataset(dir, new VocParams(dir.toString(), labeled, "train", "val", weak));
    }

    private ValidationReport validate(int labeled, boolean weak) {
        return dataset(labeled, weak).validate(Progress.NONE);
    }

    @Test
    void goodFolderIsUsable() {
        VocDataset ds = dataset(2, true);
        assertEquals(21, ds.info().numClasses());
        assertEquals(List.of("a", "b"), ds.split(Split.LABELED).ids());
        assertEquals(List.of("c", "d"), ds.split(Split.UNLABELED).ids());
        Sample weak = ds.split(Split.WEAK).load(0);
        assertNull(weak.mask());
        assertEquals(Set.of(12, 15), weak.tags());
        ValidationReport report = ds.validate(Progress.NONE);
        assertTrue(report.usable(), report.errors().toString());
        assertTrue(report.summary().contains("labeled: 2 images (labeled_2.txt)"), report.summary().toString());
        assertTrue(report.summary().contains("unlabeled: 2 images (train.txt minus the labelled ones)"));
        assertTrue(report.summary().stream().anyMatch(l -> l.matches("dog\\s+92\\s+2\\s+0\\s+0")), report.summary().toString());
        assertTrue(report.warnings().stream().anyMatch(w -> w.startsWith("classes absent from val") && w.contains("dog")),
                report.warnings().toString());
    }

    @Test
    void truncatedImage() throws IOException {
        Path file = voc.images().resolve("b.jpg");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        assertOneError(validate(2, false), file + ": corrupt");
        DataException e = assertThrows(DataException.class, () -> dataset(2, false).split(Split.LABELED).load(1));
        assertEquals(file, e.file());
    }

    @Test
    void truncatedPngMask() throws IOException {
        Path file = voc.masks().resolve("a.png");
        VocImages.writeMask(file, noiseMask(64, 48)); // big enough that half the file cuts into the pixel data
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        assertOneError(validate(2, false), file + ": corrupt or truncated image");
    }

    @Test
    void corruptImage() throws IOException {
        Path file = voc.images().resolve("v1.jpg");
        Files.writeString(file, "<html>not an image</html>");
        assertOneError(validate(2, false), file + ": not a PNG or JPEG image");
    }

    @Test
    void unparsableAnnotation() throws IOException {
        Path file = voc.annotation("d");
        Files.writeString(file, "<annotation><object><name>dog</name></annotation>");
        assertOneError(validate(2, true), file + ": not valid XML (line 1");
        assertTrue(validate(2, false).usable(), "annotations are read only for the weak split");
        DataException e = assertThrows(DataException.class, () -> dataset(2, true).split(Split.WEAK).load(1));
        assertEquals(file, e.file());
    }

    @Test
    void unknownTagName() throws IOException {
        VocAnnotation.write(voc.annotation("c"), "c.jpg", 8, 6, List.of("unicorn"));
        assertOneError(validate(2, true), voc.annotation("c") + ": object 'unicorn' is not a class");
    }

    @Test
    void rgbMaskWherePaletteExpected() {
        Path file = voc.masks().resolve("v2.png");
        VocImages.writePng(file, new RgbImage(8, 6, new byte[8 * 6 * 3]));
        assertOneError(validate(2, false), file + ": is an RGB image, not a label mask");
    }

    @Test
    void maskWithUnknownLabelValue() {
        Path file = voc.masks().resolve("b.png");
        byte[] labels = new byte[48];
        labels[5] = 37;
        labels[6] = 37;
        VocImages.writeMask(file, new LabelMask(8, 6, labels));
        assertOneError(validate(2, false), file + ": mask values 37 (2 px) are neither a class (0..20) nor 255");
        DataException e = assertThrows(DataException.class, () -> dataset(2, false).split(Split.LABELED).load(1));
        assertEquals(file, e.file());
    }

    @Test
    void classesFileDecidesWhatIsAClass() throws IOException {
        Files.write(voc.classes(), List.of("background", "thing"));
        ValidationReport report = validate(2, false);
        assertEquals(2, dataset(2, false).info().numClasses());
        assertFalse(report.usable());
        assertTrue(report.errors().get(0).contains("mask values 12 (46 px) are neither a class (0..1) nor 255"),
                report.errors().toString());
    }

    @Test
    void sizeMismatch() throws IOException {
        Path file = voc.masks().resolve("a.png");
        mask("a", 6, 6, 12);
        assertOneError(validate(2, false), file + ": mask is 6x6 but its image " + voc.images().resolve("a.jpg") + " is 8x6");
    }

    @Test
    void labeledImageWithoutMask() throws IOException {
        Files.delete(voc.masks().resolve("b.png"));
        assertOneError(validate(2, false), voc.masks().resolve("b.png") + ": missing: labelled image 'b' has no mask");
        Files.delete(voc.masks().resolve("c.png"));
        assertTrue(validate(2, false).errors().size() == 1, "unlabelled images need no mask");
    }

    @Test
    void escapingListEntriesAreRejectedNeverRead() throws IOException {
        Files.writeString(dir.resolve("secret.jpg"), "outside the dataset");
        list("val", "v1", "../../secret", "/JPEGImages/../../../secret.jpg /SegmentationClass/v1.png", "v2");
        ValidationReport report = validate(2, false);
        assertFalse(report.usable());
        assertEquals(2, report.errors().size(), report.errors().toString());
        assertTrue(report.errors().get(0).startsWith(voc.list("val") + ": line 2: '../../secret' escapes the dataset folder"),
                report.errors().get(0));
        DataException e = assertThrows(DataException.class, () -> dataset(2, false).split(Split.VAL));
        assertEquals(voc.list("val"), e.file());
        assertTrue(e.getMessage().contains("2 entries rejected"), e.getMessage());
    }

    @Test
    void duplicatesAndOverlapsAreErrors() throws IOException {
        list("val", "v1", "v2", "v1", "a");
        ValidationReport report = validate(2, false);
        assertTrue(report.errors().contains(voc.list("val") + ": line 3: id 'v1' already on line 1"), report.errors().toString());
        assertTrue(report.errors().stream().anyMatch(l -> l.startsWith("1 images are both labelled and val (e.g. 'a')")),
                report.errors().toString());
    }

    @Test
    void missingSubsetListSaysWhatThereIs() {
        DataException e = assertThrows(DataException.class, () -> dataset(7, false));
        assertEquals(voc.lists(), e.file());
        assertTrue(e.getMessage().contains("expected labeled_7.txt or 7_train_supervised.txt; subsets here: [labeled_2]"),
                e.getMessage());
    }

    /** CCT's split files with SBD-style grey masks in SegmentationClassAug and PNG images named .jpg in the list. */
    @Test
    void cctStyleListsAndAugMasks() throws IOException {
        Files.createDirectories(voc.augMasks());
        for (String id : List.of("s1", "s2", "s3")) {
            BufferedImage grey = new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_GRAY);
            grey.getRaster().setSample(0, 0, 0, 3);
            ImageIO.write(grey, "png", voc.augMasks().resolve(id + ".png").toFile());
            VocImages.writePng(voc.images().resolve(id + ".png"), new RgbImage(8, 6, new byte[144]));
        }
        list("1_train_supervised", "/JPEGImages/s1.jpg /SegmentationClassAug/s1.png");
        list("1_train_unsupervised", "/JPEGImages/s2.jpg /SegmentationClassAug/s2.png",
                "/JPEGImages/s3.jpg /SegmentationClassAug/s3.png");
        VocDataset ds = dataset(1, false);
        assertEquals(List.of("s1"), ds.split(Split.LABELED).ids());
        assertEquals(List.of("s2", "s3"), ds.split(Split.UNLABELED).ids());
        assertEquals(3, ds.split(Split.LABELED).load(0).mask().get(0, 0));
        assertTrue(ds.validate(Progress.NONE).usable(), ds.validate(Progress.NONE).errors().toString());
    }

    @Test
    void aMaskThatLabelsNothingIsRefusedInValidationAndTraining() {
        Path file = voc.masks().resolve("b.png");
        byte[] labels = new byte[48];
        Arrays.fill(labels, (byte) 255);
        VocImages.writeMask(file, new LabelMask(8, 6, labels));
        assertOneError(validate(2, false), file + ": every pixel is 255 (ignore): the mask labels nothing");
        DataException e = assertThrows(DataException.class, () -> dataset(2, false).split(Split.LABELED).load(1));
        assertEquals(file, e.file());
    }

    @Test
    void aSymbolicLinkLeadingOutsideTheDatasetIsRefusedOneInsideIsRead(@TempDir Path elsewhere) throws IOException {
        Path file = voc.images().resolve("b.jpg");
        Path outside = elsewhere.resolve("b.jpg");
        Files.move(file, outside);
        Files.createSymbolicLink(file, outside);
        assertOneError(validate(2, false), file + ": leads to " + outside.toRealPath() + " (a symbolic link), outside");
        DataException e = assertThrows(DataException.class, () -> dataset(2, false).split(Split.LABELED).load(1));
        assertEquals(file, e.file());

        Files.delete(file);
        Path inside = voc.root().resolve("b-original.jpg");
        Files.move(outside, inside);
        Files.createSymbolicLink(file, inside);
        assertTrue(validate(2, false).usable(), "a link within the dataset folder is fine");
    }

    @Test
    void specialFilesAreRefusedAtOnceNotRead() throws Exception {
        Path file = voc.images().resolve("b.jpg");
        Files.delete(file);
        assumeTrue(new ProcessBuilder("mkfifo", file.toString()).start().waitFor() == 0, "mkfifo");
        // a FIFO with no writer would block a read forever
        assertOneError(validate(2, false), file + ": not a regular file (a folder, FIFO or device?)");
        Files.delete(file);
        Files.createSymbolicLink(file, Path.of("/dev/zero"));
        assertFalse(validate(2, false).usable(), "/dev/zero is neither inside the dataset nor an image");
    }

    private static void assertOneError(ValidationReport report, String start) {
        assertFalse(report.usable(), "expected an error starting with " + start);
        assertEquals(1, report.errors().size(), report.errors().toString());
        assertTrue(report.errors().get(0).startsWith(start), report.errors().get(0));
    }

    private void image(String id, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 30) << 16 | (y * 40) << 8 | 99);
            }
        }
        ImageIO.write(img, "jpg", voc.images().resolve(id + ".jpg").toFile());
    }

    private void mask(String id, int w, int h, int label) {
        byte[] labels = new byte[w * h];
        Arrays.fill(labels, (byte) label);
        labels[0] = 0;
        labels[1] = (byte) 255;
        VocImages.writeMask(voc.masks().resolve(id + ".png"), new LabelMask(w, h, labels));
    }

    private static LabelMask noiseMask(int w, int h) {
        byte[] labels = new byte[w * h];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) ((i * 7919) % 21);
        }
        return new LabelMask(w, h, labels);
    }

    private void list(String name, String... lines) throws IOException {
        Files.write(voc.list(name), List.of(lines));
    }
}
