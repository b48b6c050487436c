package io.sslseg.platform.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sslseg.platform.eval.ValExample;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event files read back by an independent decoder: Google's protobuf runtime in Debian's Python, against the
 * schema of TensorFlow's event.proto, with the TFRecord checksums computed in Python (read_tfevents.py). CI has it
 * (python3-onnx brings python3-protobuf) and sets SSLSEG_ONNX_CHECKER=required, which turns its absence into a failure.
 */
class TensorBoardLogTest {
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    @Test
    void scalarsImagesAndAResumeReadBackIndependently(@TempDir Path run) throws Exception {
        try (TensorBoardLog log = TensorBoardLog.open(run, -1)) {
            Map<String, Object> train = new LinkedHashMap<>();
            train.put("step", 10L);
            train.put("loss_sup", 0.5);
            train.put("lr", 0.001);
            train.put("seconds", 3.0);
            log.scalars(train);
            log.scalars(Map.of("step", 10L, "split", "val", "miou", 0.25));
            BufferedImage im = new BufferedImage(6, 2, BufferedImage.TYPE_INT_RGB);
            im.setRGB(1, 1, 0xFF0000);
            log.image(10, "val/example_0", 6, 2, ValExample.png(im));
        }
        Thread.sleep(1100); // the file name carries the second it was opened in
        try (TensorBoardLog log = TensorBoardLog.open(run, 10)) {
            log.scalars(Map.of("step", 20L, "loss_sup", 0.25));
        }

        List<?> files = (List<?>) read(run.resolve(TensorBoardLog.FOLDER)).get("files");
        assertEquals(2, files.size(), files.toString());
        List<?> first = (List<?>) ((Map<?, ?>) files.get(0)).get("events");
        assertEquals("brain.Event:2", ((Map<?, ?>) first.get(0)).get("file_version"));
        Map<?, ?> scalars = (Map<?, ?>) first.get(1);
        assertEquals(10, ((Number) scalars.get("step")).intValue());
        List<?> values = (List<?>) scalars.get("values");
        assertEquals(List.of("train/loss_sup", "train/lr"), values.stream().map(v -> ((Map<?, ?>) v).get("tag")).toList(),
                "numbers but the step and the clock");
        assertEquals(0.5, ((Number) ((Map<?, ?>) values.get(0)).get("value")).doubleValue(), 1e-7);
        assertEquals(0.001, ((Number) ((Map<?, ?>) values.get(1)).get("value")).doubleValue(), 1e-7);
        Map<?, ?> val = (Map<?, ?>) ((List<?>) ((Map<?, ?>) first.get(2)).get("values")).get(0);
        assertEquals("val/miou", val.get("tag"));
        assertEquals(0.25, ((Number) val.get("value")).doubleValue(), 1e-7);
        Map<?, ?> image = (Map<?, ?>) ((List<?>) ((Map<?, ?>) first.get(3)).get("values")).get(0);
        assertEquals("val/example_0", image.get("tag"));
        assertEquals(6, ((Number) image.get("width")).intValue());
        assertEquals(2, ((Number) image.get("height")).intValue());
        assertEquals(true, image.get("png"));

        List<?> second = (List<?>) ((Map<?, ?>) files.get(1)).get("events");
        Map<?, ?> start = (Map<?, ?>) second.get(1);
        assertEquals(1, ((Number) start.get("session_status")).intValue(), "SessionLog START: " + second);
        assertEquals(10, ((Number) start.get("step")).intValue(), "at the step the resume starts from");
        assertEquals(20, ((Number) ((Map<?, ?>) second.get(2)).get("step")).intValue());
        assertFalse(second.toString().contains("file_version=brain.Event:1"));
    }

    @Test
    void aDamagedRecordIsCaughtByTheChecksum(@TempDir Path run) throws Exception {
        try (TensorBoardLog log = TensorBoardLog.open(run, -1)) {
            log.scalars(Map.of("step", 1L, "loss_sup", 0.5));
        }
        Path file;
        try (var files = Files.list(run.resolve(TensorBoardLog.FOLDER))) {
            file = files.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 6] ^= 1; // inside the last record
        Files.write(file, bytes);
        String out = python(run.resolve(TensorBoardLog.FOLDER), 1);
        assertTrue(out.contains("bad record CRC"), out);
    }

    private static Map<?, ?> read(Path folder) throws Exception {
        return new ObjectMapper().readValue(python(folder, 0), Map.class);
    }

    private static String python(Path folder, int expectedExit) throws Exception {
        Process probe = new ProcessBuilder(PYTHON, "-c", "import google.protobuf").redirectErrorStream(true).start();
        if (!(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0)) {
            if ("required".equals(System.getenv("SSLSEG_ONNX_CHECKER"))) {
                fail("SSLSEG_ONNX_CHECKER=required but python3 cannot import google.protobuf (apt-get install python3-protobuf)");
            }
            assumeTrue(false, "python3's protobuf package is not installed: the independent decoder was not run");
        }
        Path script = folder.resolveSibling("read_tfevents.py");
        try (InputStream in = TensorBoardLogTest.class.getResourceAsStream("read_tfevents.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder(PYTHON, script.toString(), folder.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(expectedExit, p.exitValue(), out);
        return out;
    }
}
