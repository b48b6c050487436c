package io.sslseg.plugins.tempens;

import io.sslseg.api.AtomicFiles;
import io.sslseg.api.SslsegException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The temporal-ensembling accumulators Z: one fixed-size record per image of C values per storage cell, in
 * float16, in a file mapped into memory (off the Java heap; the OS page cache holds what is in use).
 *
 * <p>File layout: a {@value #HEADER_BYTES}-byte header (big-endian: magic {@code SSLTEF16}, version, header
 * size, images, classes, height, width, alpha), then the records in image order. A record is cell-major
 * ({@code height x width} cells, row-major, each with its {@code classes} values, little-endian halves), so
 * the C values of one cell are adjacent. The records are mapped in chunks of whole records, each at most
 * {@link #DEFAULT_CHUNK_BYTES} (one mapping is limited to 2 GiB on Java 17).
 *
 * <p>A snapshot is a byte copy of the file; its CRC32 covers every byte, header included.
 */
public final class PredictionMemory implements Closeable {
    public static final int HEADER_BYTES = 64;
    public static final long DEFAULT_CHUNK_BYTES = 1L << 30;
    private static final byte[] MAGIC = "SSLTEF16".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int COPY_BYTES = 1 << 20;

    /** What a memory holds: its shape and the decay it is updated with. */
    public record Layout(long images, int classes, int height, int width, double alpha) {
        public Layout {
            if (images < 1 || classes < 1 || height < 1 || width < 1) {
                throw new IllegalArgumentException("a prediction memory needs at least one image, class and cell; got "
                        + images + " images, " + classes + " classes, " + height + "x" + width + " cells");
            }
            if (recordBytes(classes, height, width) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("one image's record of " + classes + " x " + height + " x " + width
                        + " halves exceeds 2 GiB; store at a coarser grid");
            }
        }

        public int cells() {
            return height * width;
        }

        /** Bytes of one image's record. */
        public long recordBytes() {
            return recordBytes(classes, height, width);
        }

        /** Bytes of the records of every image (the header aside). */
        public long dataBytes() {
            return images * recordBytes();
        }

        /** Bytes of the whole file. */
        public long fileBytes() {
            return HEADER_BYTES + dataBytes();
        }

        public static long recordBytes(int classes, int height, int width) {
            return 2L * classes * height * width;
        }

        byte[] header() {
            ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
            b.put(MAGIC).putInt(VERSION).putInt(HEADER_BYTES).putLong(images).putInt(classes).putInt(height)
                    .putInt(width).putDouble(alpha);
            return b.array();
        }

        static Layout parse(byte[] header, Path file) {
            ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.BIG_ENDIAN);
            byte[] magic = new byte[MAGIC.length];
            b.get(magic);
            int version = b.getInt();
            int size = b.getInt();
            if (!Arrays.equals(magic, MAGIC) || version != VERSION || size != HEADER_BYTES) {
                throw new SslsegException(file + ": not a temporal-ensembling memory file of version " + VERSION);
            }
            try {
                return new Layout(b.getLong(), b.getInt(), b.getInt(), b.getInt(), b.getDouble());
            } catch (IllegalArgumentException e) {
                throw new SslsegException(file + ": corrupt header (" + e.getMessage() + ")");
            }
        }

        @Override
        public String toString() {
            return images + " images x " + classes + " classes x " + height + "x" + width + " cells (alpha " + alpha + ")";
        }
    }

    private final Path file;
    private final Layout layout;
    private final int recordBytes;
    private final int recordsPerChunk;
    private final List<MappedByteBuffer> chunks = new ArrayList<>();
    private final FileChannel channel;

    private PredictionMemory(Path file, Layout layout, long maxChunkBytes) throws IOException {
        this.file = file;
        this.layout = layout;
        this.recordBytes = (int) layout.recordBytes();
        this.recordsPerChunk = (int) Math.max(1, Math.min(layout.images(), maxChunkBytes / recordBytes));
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        for (long first = 0; first < layout.images(); first += recordsPerChunk) {
            long count = Math.min(recordsPerChunk, layout.images() - first);
            MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_WRITE, HEADER_BYTES + first * recordBytes,
                    count * recordBytes);
            m.order(ByteOrder.LITTLE_ENDIAN);
            chunks.add(m);
        }
    }

    /**
     * A new memory of zeros at {@code file}, replacing whatever was there (a stale file of an earlier run is
     * never read). The file is sparse until written.
     */
    public static PredictionMemory create(Path file, Layout layout) {
        return create(file, layout, DEFAULT_CHUNK_BYTES);
    }

    /** As {@link #create(Path, Layout)}, mapping chunks of at most {@code maxChunkBytes} (tests use small ones). */
    public static PredictionMemory create(Path file, Layout layout, long maxChunkBytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file); // a mapping of the old file elsewhere keeps its own inode
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(layout.header()));
                if (layout.dataBytes() > 0) {
                    ch.write(ByteBuffer.wrap(new byte[1]), layout.fileBytes() - 1); // extends with zeros
                }
            }
            return new PredictionMemory(file, layout, maxChunkBytes);
        } catch (IOException e) {
            throw new SslsegException("temporal-ensembling: cannot create its prediction memory " + file + " ("
                    + layout.fileBytes() + " bytes): " + e.getMessage());
        }
    }

    public Path file() {
        return file;
    }

    public Layout layout() {
        return layout;
    }

    /** Chunks mapped (for tests of the chunking). */
    int chunkCount() {
        return chunks.size();
    }

    private MappedByteBuffer chunk(int image) {
        return chunks.get(image / recordsPerChunk);
    }

    private int offset(int image, int cell) {
        return (image % recordsPerChunk) * recordBytes + cell * layout.classes() * 2;
    }

    private void check(int image, int cell) {
        if (image < 0 || image >= layout.images() || cell < 0 || cell >= layout.cells()) {
            throw new IndexOutOfBoundsException("image " + image + " cell " + cell + " outside " + layout);
        }
    }

    /** Reads the C accumulators of one cell of one image into {@code out[0..C)}. */
    public void read(int image, int cell, float[] out) {
        check(image, cell);
        MappedByteBuffer m = chunk(image);
        int at = offset(image, cell);
        for (int c = 0; c < layout.classes(); c++) {
            out[c] = Half.toFloat(m.getShort(at + 2 * c));
        }
    }

    /**
     * One ensembling update of one cell: {@code Z <- alpha Z + (1 - alpha) p}, with {@code p[c]} at
     * {@code p[offset + c * stride]} (so an N x C x H x W array serves directly).
     */
    public void update(int image, int cell, float[] p, int offset, int stride) {
        check(image, cell);
        MappedByteBuffer m = chunk(image);
        int at = offset(image, cell);
        double a = layout.alpha();
        for (int c = 0; c < layout.classes(); c++) {
            float z = Half.toFloat(m.getShort(at + 2 * c));
            m.putShort(at + 2 * c, Half.fromFloat((float) (a * z + (1 - a) * p[offset + c * stride])));
        }
    }

    /** Every record's bytes, in file order (for tests). */
    byte[] records() {
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(layout.dataBytes()));
        for (MappedByteBuffer m : chunks) {
            out.put(m.duplicate().clear());
        }
        return out.array();
    }

    /**
     * Writes the whole memory to {@code target} (a temporary name next to it first, forced to disk, then
     * renamed atomically) and returns its CRC32.
     */
    public long snapshot(Path target) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        CRC32 crc = new CRC32();
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer h = ByteBuffer.wrap(layout.header());
                crc.update(h.duplicate());
                writeFully(out, h);
                for (MappedByteBuffer m : chunks) {
                    ByteBuffer b = m.duplicate().clear();
                    crc.update(b.duplicate());
                    writeFully(out, b);
                }
                out.force(true);
            }
            AtomicFiles.move(tmp, target);
            forceDirectory(target.toAbsolutePath().getParent());
            return crc.getValue();
        } catch (IOException e) {
            throw new SslsegException("temporal-ensembling: cannot write the memory snapshot " + target + ": "
                    + e.getMessage());
        }
    }

    /** The layout in a memory or snapshot file's header. */
    public static Layout readLayout(Path source) {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
            readFully(in, h, source);
            return Layout.parse(h.array(), source);
        } catch (NoSuchFileException e) {
            throw new SslsegException("temporal-ensembling: the memory snapshot " + source + " is missing");
        } catch (IOException e) {
            throw new SslsegException("temporal-ensembling: cannot read " + source + ": " + e.getMessage());
        }
    }

    /**
     * Replaces the contents with those of a snapshot of the same layout, checking its size and that its
     * CRC32 is {@code expectedCrc}. On a mismatch the memory is left zeroed and an error names the file.
     */
    public void restore(Path source, long expectedCrc) {
        Layout saved = readLayout(source);
        if (!saved.equals(layout)) {
            throw new SslsegException("temporal-ensembling: the memory snapshot " + source + " holds " + saved
                    + ", this run's memory is " + layout);
        }
        CRC32 crc = new CRC32();
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            if (in.size() != layout.fileBytes()) {
                throw new SslsegException("temporal-ensembling: the memory snapshot " + source + " has " + in.size()
                        + " bytes, " + layout.fileBytes() + " expected (truncated or corrupt)");
            }
            ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
            readFully(in, h, source);
            crc.update(h.array());
            for (MappedByteBuffer m : chunks) {
                ByteBuffer b = m.duplicate().clear();
                readFully(in, b, source);
                crc.update(m.duplicate().clear());
            }
        } catch (IOException e) {
            throw new SslsegException("temporal-ensembling: cannot read the memory snapshot " + source + ": "
                    + e.getMessage());
        }
        if (crc.getValue() != expectedCrc) {
            zero();
            throw new SslsegException(String.format("temporal-ensembling: the memory snapshot %s is corrupt (CRC32 %08x,"
                    + " the checkpoint recorded %08x)", source, crc.getValue(), expectedCrc));
        }
    }

    /** Sets every accumulator to 0. */
    public void zero() {
        byte[] zeros = new byte[COPY_BYTES];
        for (MappedByteBuffer m : chunks) {
            ByteBuffer b = m.duplicate().clear();
            while (b.hasRemaining()) {
                b.put(zeros, 0, Math.min(zeros.length, b.remaining()));
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close(); // the mappings stay valid until collected; Java 17 cannot unmap explicitly
        } catch (IOException e) {
            // nothing was buffered in the channel itself
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    private static void readFully(FileChannel in, ByteBuffer b, Path source) throws IOException {
        while (b.hasRemaining()) {
            if (in.read(b) < 0) {
                throw new SslsegException("temporal-ensembling: " + source + " ends early (truncated)");
            }
        }
    }

    /** Makes a rename durable where the file system allows it (a directory cannot be opened on every OS). */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }
}
