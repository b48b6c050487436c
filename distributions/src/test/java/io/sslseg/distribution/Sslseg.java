package io.sslseg.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the assembled distribution's bin/sslseg as a user would, offline, with its own home and caches. */
final class Sslseg {
    static final Path HOME = Path.of(System.getProperty("sslseg.distribution", "target/sslseg")).toAbsolutePath();

    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Sslseg() {}

    static ProcessBuilder command(Path workDir, Path userHome, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(HOME.resolve("bin/sslseg").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().put("HOME", userHome.toString());
        pb.environment().put("XDG_CACHE_HOME", userHome.resolve(".cache").toString());
        pb.environment().put("DJL_CACHE_DIR", userHome.resolve(".djl.ai").toString());
        pb.environment().put("ENGINE_CACHE_DIR", userHome.resolve(".djl.ai").toString());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("SSLSEG_JAVA_OPTS", "-Xmx3g -Dai.djl.pytorch.num_threads=2");
        return pb;
    }

    static Result run(Path workDir, Path userHome, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("sslseg-out", ".txt");
        Path err = Files.createTempFile("sslseg-err", ".txt");
        Process p = command(workDir, userHome, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("sslseg " + String.join(" ", args) + " did not finish in 10 minutes");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
