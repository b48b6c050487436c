package io.sslseg.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/sslseg's stderr filter: libtorch's per-call warnings (NNPACK on CPUs without it) are dropped, or shown once
 * each with --verbose; everything else passes unchanged and in order, progress-bar carriage returns included.
 */
class NativeLogFilterIT {
    private static final String NNPACK = "[W1205 00:25:40.707210032 NNPACK.cpp:57] Could not initialize NNPACK! Reason:"
            + " Unsupported hardware.\n";

    @Test
    void quietModeDropsLibtorchWarningsAndKeepsEverythingElse() throws Exception {
        String in = NNPACK + "train [#...] 1/10\r" + NNPACK + NNPACK + "train [##..] 2/10\r"
                + "[I1205 00:25:41.1 init.cpp:3] info line\n" + "[E1205 00:25:41.2 conv.cpp:9] an error\n"
                + "sslseg: error: config.yaml: bad key\n" + "no newline at the end";
        assertEquals("train [#...] 1/10\rtrain [##..] 2/10\r[E1205 00:25:41.2 conv.cpp:9] an error\n"
                + "sslseg: error: config.yaml: bad key\n" + "no newline at the end", filter("quiet", in));
    }

    @Test
    void onceModeShowsEachWarningOnce() throws Exception {
        String other = "[W1205 00:25:42.0 Other.cpp:1] something else\n";
        String out = filter("once", NNPACK + "line\n" + NNPACK + other + other + NNPACK);
        assertEquals(NNPACK.replace("\n", " (shown once; its repeats are dropped)\n") + "line\n"
                + other.replace("\n", " (shown once; its repeats are dropped)\n"), out);
    }

    /**
     * A real run on one thread (where libtorch checks NNPACK on every 1x1 convolution), with --verbose: at most one
     * NNPACK line (one on CPUs without NNPACK, as the project's). Without --verbose there is none: SlurmLauncherIT's cells
     * train on one thread and their logs are checked for it.
     */
    @Test
    void withVerboseARealRunShowsTheWarningOnce(@TempDir Path work) throws Exception {
        Sslseg.Result loud = Sslseg.run(work, work, "bench", "train-step", "--config",
                Sslseg.HOME.resolve("configs/supervised-200.yaml").toString(), "--set", "runtime.threads=1",
                "--steps", "2", "--warmup", "1", "--verbose");
        assertEquals(0, loud.exitCode(), loud.all());
        assertTrue(loud.out().contains("training step: mean"), loud.all());
        long lines = loud.err().lines().filter(l -> l.contains("NNPACK")).count();
        assertTrue(lines <= 1, loud.err());
    }

    private static String filter(String mode, String input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("perl", Sslseg.HOME.resolve("bin/native-log-filter.pl").toString(), mode)
                .redirectErrorStream(true).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        return out.toString(StandardCharsets.UTF_8);
    }
}
