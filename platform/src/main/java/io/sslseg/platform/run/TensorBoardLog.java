package io.sslseg.platform.run;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.sslseg.api.SslsegException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * TensorBoard's event files in {@code RUN/tensorboard/}, so that {@code tensorboard --logdir runs/} shows every run.
 * One file per process and start of the loop ({@code events.out.tfevents.SECONDS.HOST.PID}, the name TensorBoard looks
 * for). The format:
 * TFRecord framing (little-endian length, masked CRC-32C of the length, the record, masked CRC-32C of the record) around
 * {@code tensorflow.Event} protobuf messages, encoded with protobuf-java's wire-format writer:
 * <ul>
 *   <li>Event: wall_time = 1 (double), step = 2 (int64), file_version = 3 (string), summary = 5, session_log = 7</li>
 *   <li>Summary: value = 1 (repeated); Value: tag = 1, simple_value = 2 (float), image = 4</li>
 *   <li>Image: height = 1, width = 2, colorspace = 3, encoded_image_string = 4 (PNG bytes)</li>
 *   <li>SessionLog: status = 1 (START = 1)</li>
 * </ul>
 * A resumed run starts its file with a SessionLog START at the step it resumes from: TensorBoard then drops what an
 * earlier file logged after that step (the steps the resume repeats), as metrics.jsonl does.
 */
public final class TensorBoardLog implements AutoCloseable {
    public static final String FOLDER = "tensorboard";
    private static final int MASK_DELTA = 0xa282ead8;

    private final OutputStream out;

    private TensorBoardLog(OutputStream out) {
        this.out = out;
    }

    /** A new event file for this process; {@code resumedAt} is the step a resume starts from, or -1 for a new run. */
    public static TensorBoardLog open(Path runDir, long resumedAt) {
        try {
            Path dir = Files.createDirectories(runDir.resolve(FOLDER));
            String name = "events.out.tfevents." + System.currentTimeMillis() / 1000 + "."
                    + RunEnvironment.host("localhost").replaceAll("[^A-Za-z0-9_.-]", "_") + "."
                    + ProcessHandle.current().pid();
            Path file = dir.resolve(name);
            for (int n = 1; Files.exists(file); n++) {
                file = dir.resolve(name + "." + n); // a replay after a NaN, within the same second
            }
            TensorBoardLog log = new TensorBoardLog(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW));
            log.write(event(0, e -> e.writeString(3, "brain.Event:2")));
            if (resumedAt >= 0) {
                log.write(event(resumedAt, e -> e.writeByteArray(7, message(s -> s.writeEnum(1, 1)))));
            }
            return log;
        } catch (IOException e) {
            throw new SslsegException("cannot write TensorBoard events under " + runDir.resolve(FOLDER) + ": " + e.getMessage());
        }
    }

    /**
     * A metrics.jsonl record as scalars at its step: a validation record's numbers under {@code val/}, a training
     * record's under {@code train/} (its clock and the step itself left out).
     */
    public void scalars(Map<String, Object> record) {
        if (!(record.get("step") instanceof Number step)) {
            return;
        }
        String prefix = "val".equals(record.get("split")) ? "val/" : "train/";
        byte[] summary = message(s -> {
            for (Map.Entry<String, Object> e : record.entrySet()) {
                if (e.getValue() instanceof Number n && !e.getKey().equals("step") && !e.getKey().equals("seconds")) {
                    s.writeByteArray(1, message(v -> {
                        v.writeString(1, prefix + e.getKey());
                        v.writeFloat(2, n.floatValue());
                    }));
                }
            }
        });
        write(event(step.longValue(), e -> e.writeByteArray(5, summary)));
    }

    /** A PNG image at {@code step} under {@code tag}. */
    public void image(long step, String tag, int width, int height, byte[] png) {
        byte[] image = message(i -> {
            i.writeInt32(1, height);
            i.writeInt32(2, width);
            i.writeInt32(3, 3); // RGB
            i.writeBytes(4, ByteString.copyFrom(png));
        });
        byte[] summary = message(s -> s.writeByteArray(1, message(v -> {
            v.writeString(1, tag);
            v.writeByteArray(4, image);
        })));
        write(event(step, e -> e.writeByteArray(5, summary)));
    }

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            fields.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory protobuf encoding failed", e);
        }
    }

    private static byte[] event(long step, Fields what) {
        return message(e -> {
            e.writeDouble(1, System.currentTimeMillis() / 1000.0);
            e.writeInt64(2, step);
            what.write(e);
        });
    }

    /** One TFRecord, flushed: a kill loses at most the record in flight (TensorBoard stops at a torn last one). */
    private synchronized void write(byte[] record) {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(record.length);
        header.putInt(maskedCrc(header.array(), 0, 8));
        ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(maskedCrc(record, 0, record.length));
        try {
            out.write(header.array());
            out.write(record);
            out.write(footer.array());
            out.flush();
        } catch (IOException e) {
            throw new SslsegException("cannot append to the TensorBoard event file: " + e.getMessage());
        }
    }

    /** TFRecord's CRC: CRC-32C, rotated right by 15 bits, plus a constant. */
    static int maskedCrc(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }


    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // every record was flushed as written
        }
    }
}
