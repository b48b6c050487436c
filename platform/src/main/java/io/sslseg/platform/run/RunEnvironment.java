package io.sslseg.platform.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sslseg.api.ApiVersion;
import io.sslseg.api.SslsegException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * environment.jsonl in a run folder: one line per process that trained the run (its start and every resume, which may
 * be on another machine) with what its numbers depend on besides config and data: the sslseg version and the git
 * commit of its build, the DJL, libtorch and JVM versions, the thread count, the device and the host.
 */
public final class RunEnvironment {
    public static final String FILE = "environment.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunEnvironment() {}

    /** This process's environment, as one record. */
    public static Map<String, Object> current(Device device, boolean resume) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("started", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        m.put("resume", resume);
        m.put("sslseg", ApiVersion.VERSION);
        m.put("commit", buildCommit());
        m.put("djl", Engine.getDjlVersion());
        m.put("libtorch", Engine.getEngine("PyTorch").getVersion());
        m.put("jvm", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + Runtime.version());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()));
        m.put("device", device.toString());
        m.put("host", host("unknown"));
        return m;
    }

    /** Appends this process's record to the run's environment.jsonl. */
    public static void append(RunFolder folder, Device device, boolean resume) {
        try {
            Files.writeString(folder.dir().resolve(FILE), JSON.writeValueAsString(current(device, resume)) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new SslsegException("cannot write " + folder.dir().resolve(FILE) + ": " + e.getMessage());
        }
    }

    /** The git commit the platform was built from (git.properties, written by the build), "unknown" outside git. */
    static String buildCommit() {
        try (InputStream in = RunEnvironment.class.getResourceAsStream("/io/sslseg/platform/git.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String id = p.getProperty("git.commit.id", "");
            if (id.isEmpty()) {
                return "unknown";
            }
            return id + ("true".equals(p.getProperty("git.dirty")) ? " (with uncommitted changes)" : "");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** This machine's host name, or {@code ifUnknown} when it has none the JVM can read. */
    static String host(String ifUnknown) {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return ifUnknown;
        }
    }
}
