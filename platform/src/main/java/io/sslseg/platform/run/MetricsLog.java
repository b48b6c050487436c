package io.sslseg.platform.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sslseg.api.SslsegException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.util.Map;

/** metrics.jsonl: one JSON object per line, flushed as written so a kill loses at most the line in flight. */
public final class MetricsLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;
    private java.util.function.Consumer<Map<String, Object>> mirror = record -> { };

    MetricsLog(BufferedWriter out) {
        this.out = out;
    }

    /** Every record written from now on also goes to {@code mirror} (the TensorBoard log). */
    public void mirrorTo(java.util.function.Consumer<Map<String, Object>> mirror) {
        this.mirror = mirror;
    }

    public synchronized void write(Map<String, Object> record) {
        mirror.accept(record);
        try {
            out.write(JSON.writeValueAsString(record));
            out.write('\n');
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        } catch (IOException e) {
            throw new SslsegException("cannot append to metrics.jsonl: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing left to save
        }
    }
}
