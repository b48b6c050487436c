package io.sslseg.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From a trained run to masks, through the distribution: export to ONNX, predict with both engines, evaluate on a
 * VOC folder with both engines, and the bad inputs (a damaged model, a folder with a non-image, mismatched classes).
 */
class ExportPredictEvalIT {
    @TempDir
    static Path home;
    @TempDir
    static Path work;

    /** A short smoke run, and the same scenes written as a VOC folder (its val split is the run's val split). */
    @BeforeAll
    static void trainAndGenerate() throws Exception {
        Sslseg.Result train = Sslseg.run(work, home, "train", "--config", CliEndToEndIT.config("smoke.yaml"),
                "--set", "dataset.train=300", "--set", "dataset.val=40", "--set", "dataset.labeled=100", "--set", "train.iterations=40",
                "--set", "train.evalEvery=40", "--run-dir", "runs/r");
        assertEquals(0, train.exitCode(), train.all());
        Sslseg.Result gen = Sslseg.run(work, home, "data", "generate", "fashion-scenes", "--out", "voc",
                "--train", "300", "--val", "40");
        assertEquals(0, gen.exitCode(), gen.all());
    }

    @Test
    void exportedModelAgreesWithTheRunOnBothEngines() throws Exception {
        Sslseg.Result export = Sslseg.run(work, home, "export", "runs/r", "--out", "model.onnx");
        assertEquals(0, export.exitCode(), export.all());
        assertTrue(export.out().contains("checked: ONNX Runtime's logits match"), export.out());
        String bytes = new String(Files.readAllBytes(work.resolve("model.onnx")), StandardCharsets.ISO_8859_1);
        for (String key : List.of("sslseg.classes", "sslseg.palette", "sslseg.normalization.mean", "sslseg.crop",
                "sslseg.config_sha256", "[\"background\",\"t-shirt\"")) {
            assertTrue(bytes.contains(key), "the model's metadata holds " + key);
        }

        String own = miou(Sslseg.run(work, home, "eval", "runs/r"));
        String runOnFolder = miou(Sslseg.run(work, home, "eval", "runs/r", "--data", "voc"));
        String runOnOrt = miou(Sslseg.run(work, home, "eval", "runs/r", "--data", "voc", "--engine", "onnxruntime"));
        String model = miou(Sslseg.run(work, home, "eval", "--model", "model.onnx", "--data", "voc"));
        // the folder holds the run's own val scenes, so every path must give the run's own mIoU
        assertEquals(Double.parseDouble(own), Double.parseDouble(runOnFolder), 1e-4, "eval --data on the run's scenes");
        assertEquals(Double.parseDouble(runOnFolder), Double.parseDouble(runOnOrt), 1e-3, "both engines");
        assertEquals(Double.parseDouble(runOnFolder), Double.parseDouble(model), 1e-3, "the exported file");

        Path images = Files.createDirectories(work.resolve("images"));
        try (Stream<Path> val = Files.list(work.resolve("voc/JPEGImages"))) {
            for (Path p : val.filter(p -> p.getFileName().toString().startsWith("val_0000")).toList()) {
                Files.copy(p, images.resolve(p.getFileName()));
            }
        }
        Files.writeString(images.resolve("notes.png"), "not an image");
        Sslseg.Result pt = Sslseg.run(work, home, "predict", "--run", "runs/r", "--input", "images", "--out", "pt",
                "--overlay");
        assertEquals(1, pt.exitCode(), "an unreadable image makes the exit code non-zero: " + pt.all());
        assertTrue(pt.err().contains("notes.png") && !pt.err().contains("Exception"), pt.err());
        Sslseg.Result ort = Sslseg.run(work, home, "predict", "--model", "model.onnx", "--input", "images/val_*.png",
                "--out", "ort");
        assertEquals(0, ort.exitCode(), ort.all());
        List<String> masks;
        try (Stream<Path> s = Files.list(work.resolve("ort"))) {
            masks = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(10, masks.size(), "one mask per image: " + masks);
        long differing = 0;
        long pixels = 0;
        for (String name : masks) {
            int[] a = labels(work.resolve("pt").resolve(name));
            int[] b = labels(work.resolve("ort").resolve(name));
            assertEquals(a.length, b.length);
            assertTrue(Arrays.stream(a).allMatch(v -> v >= 0 && v < 11), name + ": class ids");
            for (int i = 0; i < a.length; i++) {
                differing += a[i] != b[i] ? 1 : 0;
            }
            pixels += a.length;
            assertTrue(Files.isRegularFile(work.resolve("pt").resolve(name.replace(".png", ".overlay.png"))));
        }
        assertTrue(differing <= pixels / 1000, differing + " of " + pixels + " pixels differ between the engines");
    }

    @Test
    void damagedModelsAndMismatchedClassesFailNamingTheFile() throws Exception {
        Sslseg.Result export = Sslseg.run(work, home, "export", "runs/r", "--out", "good.onnx");
        assertEquals(0, export.exitCode(), export.all());
        byte[] good = Files.readAllBytes(work.resolve("good.onnx"));
        Files.write(work.resolve("truncated.onnx"), Arrays.copyOf(good, good.length / 2));
        Sslseg.Result truncated = Sslseg.run(work, home, "predict", "--model", "truncated.onnx", "--input",
                "voc/JPEGImages/val_00000.png", "--out", "never");
        assertEquals(1, truncated.exitCode(), truncated.all());
        assertTrue(truncated.err().contains("truncated.onnx") && !truncated.err().contains("\tat "), truncated.err());
        assertFalse(Files.exists(work.resolve("never/val_00000.png")), "no mask from a damaged model");

        Path other = work.resolve("other-classes");
        copyTree(work.resolve("voc"), other);
        List<String> classes = Files.readAllLines(other.resolve("classes.txt"));
        Files.write(other.resolve("classes.txt"), classes.subList(0, classes.size() - 1));
        Sslseg.Result mismatch = Sslseg.run(work, home, "eval", "--model", "good.onnx", "--data", "other-classes");
        assertEquals(1, mismatch.exitCode(), mismatch.all());
        assertTrue(mismatch.err().contains("classes.txt") && mismatch.err().contains("not remap"), mismatch.err());

        Sslseg.Result noFolder = Sslseg.run(work, home, "export", "runs/r", "--out", "missing/dir/m.onnx");
        assertEquals(1, noFolder.exitCode(), noFolder.all());
        assertTrue(noFolder.err().contains("missing/dir"), noFolder.err());
    }

    private static String miou(Sslseg.Result r) {
        assertEquals(0, r.exitCode(), r.all());
        Matcher m = Pattern.compile("(?m)^mIoU (\\d\\.\\d+)$").matcher(r.out());
        assertTrue(m.find(), r.out());
        return m.group(1);
    }

    private static int[] labels(Path mask) throws Exception {
        BufferedImage img = ImageIO.read(mask.toFile());
        assertTrue(img.getColorModel() instanceof IndexColorModel, mask + " is a palette PNG");
        return img.getRaster().getSamples(0, 0, img.getWidth(), img.getHeight(), 0, (int[]) null);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
