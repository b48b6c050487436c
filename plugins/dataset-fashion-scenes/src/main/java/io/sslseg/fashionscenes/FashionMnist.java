package io.sslseg.fashionscenes;

import io.sslseg.api.data.DataException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Fashion-MNIST items: 28x28 grey images and their classes (0..9), train and test parts, read from the
 * idx files (gzipped or not).
 *
 * <p>Where from, in this order: the {@code source} parameter; the Debian package {@code dataset-fashion-mnist}
 * (found through dpkg's file list, as {@code dpkg -L} prints it); the subset embedded in this plugin (first
 * 6,000 train and 1,000 test items), so a bare machine still runs the default benchmark.
 *
 * @param description which source, its item counts and the SHA-256 of its files: part of the dataset identity
 */
record FashionMnist(byte[] trainImages, byte[] trainLabels, byte[] testImages, byte[] testLabels, String description) {
    static final int SIDE = 28;
    static final int PIXELS = SIDE * SIDE;
    static final String PACKAGE = "dataset-fashion-mnist";
    static final String INSTALL_HINT = "install the full dataset with `apt-get install " + PACKAGE + "`";
    /** The four files, in the order their bytes enter the SHA-256. */
    static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    static final String EMBEDDED = "/io/sslseg/fashionscenes/fashion-mnist/";
    /** The 'source' value that asks for the embedded subset even where the package is installed. */
    static final String EMBEDDED_SOURCE = "embedded";
    private static final String EMBEDDED_WHAT = "subset embedded in the plugin";
    private static final Path DPKG_INFO = Path.of("/var/lib/dpkg/info");
    private static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    private static final Logger LOG = LoggerFactory.getLogger(FashionMnist.class);

    int trainCount() {
        return trainLabels.length;
    }

    int testCount() {
        return testLabels.length;
    }

    /**
     * Where the items come from: a folder, or the embedded subset ({@code dir} null).
     *
     * @param fallback whether the embedded subset stands in for a package that is not installed
     */
    record Location(Path dir, String what, boolean fallback) {}

    /**
     * Finds the items without reading them: the folder given, or else the Debian package, or else the
     * embedded subset. A given folder that lacks the files is an error, not a silent fallback.
     */
    static Location locate(String source) {
        if (source.equals(EMBEDDED_SOURCE)) {
            return new Location(null, EMBEDDED_WHAT, false);
        }
        if (!source.isEmpty()) {
            Path dir = Path.of(source).toAbsolutePath();
            if (!hasFiles(dir)) {
                throw new DataException(dir, "no Fashion-MNIST idx files here (expected " + String.join(", ", FILES)
                        + ", each optionally .gz); " + INSTALL_HINT + " and leave 'source' empty, or fix the path");
            }
            return new Location(dir, "folder " + dir, false);
        }
        Path installed = debianFolder();
        if (installed != null) {
            return new Location(installed, "Debian package " + PACKAGE + " (" + installed + ")", false);
        }
        return new Location(null, EMBEDDED_WHAT, true);
    }

    static FashionMnist load(Location location) {
        if (location.fallback()) {
            LOG.warn("fashion-scenes: the Debian package {} is not installed: using the subset embedded in the"
                    + " plugin (6,000 train / 1,000 test items); {} for all 70,000", PACKAGE, INSTALL_HINT);
        }
        FashionMnist data = location.dir() == null ? fromResources(location.what())
                : fromFolder(location.dir(), location.what());
        LOG.info("fashion-scenes: items from {}", data.description());
        return data;
    }

    /** The package's folder, looked up in dpkg's list of its files; null when it is not installed. */
    static Path debianFolder() {
        for (String name : List.of(PACKAGE + ".list", PACKAGE + ":all.list")) {
            Path list = DPKG_INFO.resolve(name);
            if (Files.isReadable(list)) {
                try {
                    for (String line : Files.readAllLines(list)) {
                        if (line.endsWith("/" + FILES.get(0) + ".gz")) {
                            Path dir = Path.of(line).getParent();
                            if (hasFiles(dir)) {
                                return dir;
                            }
                        }
                    }
                } catch (IOException e) {
                    LOG.debug("cannot read {}: {}", list, e.toString());
                }
            }
        }
        // dpkg's database may be absent (a container image that copied the files): the package's own folder.
        return hasFiles(DEBIAN_DIR) ? DEBIAN_DIR : null;
    }

    private static boolean hasFiles(Path dir) {
        return FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f + ".gz"))
                || Files.isRegularFile(dir.resolve(f)));
    }

    private static FashionMnist fromFolder(Path dir, String what) {
        MessageDigest sha = sha256();
        byte[][] parts = new byte[4][];
        for (int i = 0; i < 4; i++) {
            Path gz = dir.resolve(FILES.get(i) + ".gz");
            Path file = Files.isRegularFile(gz) ? gz : dir.resolve(FILES.get(i));
            try (InputStream in = Files.newInputStream(file)) {
                parts[i] = readIdx(file, new DigestInputStream(in, sha), file.toString().endsWith(".gz"), i % 2 == 0);
            } catch (IOException e) {
                throw new DataException(file, "cannot read Fashion-MNIST file: " + e, e);
            }
        }
        return of(parts, what, sha);
    }

    private static FashionMnist fromResources(String what) {
        MessageDigest sha = sha256();
        byte[][] parts = new byte[4][];
        for (int i = 0; i < 4; i++) {
            String name = EMBEDDED + FILES.get(i) + ".gz";
            Path where = Path.of("classpath:" + name);
            try (InputStream in = FashionMnist.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new DataException(where, "the plugin jar lacks its embedded Fashion-MNIST subset; "
                            + INSTALL_HINT);
                }
                parts[i] = readIdx(where, new DigestInputStream(in, sha), true, i % 2 == 0);
            } catch (IOException e) {
                throw new DataException(where, "cannot read: " + e, e);
            }
        }
        return of(parts, what, sha);
    }

    private static FashionMnist of(byte[][] parts, String what, MessageDigest sha) {
        if (parts[0].length != parts[1].length * PIXELS || parts[2].length != parts[3].length * PIXELS) {
            throw new DataException(Path.of(what), "the image and label files hold different item counts");
        }
        return new FashionMnist(parts[0], parts[1], parts[2], parts[3], what + ", " + parts[1].length + " train + "
                + parts[3].length + " test items, sha256 " + HexFormat.of().formatHex(sha.digest()));
    }

    /**
     * Reads one idx file: images (magic 0x803, n x 28 x 28 bytes) or labels (magic 0x801, n bytes in 0..9).
     * Returns the payload without the header.
     */
    static byte[] readIdx(Path file, InputStream raw, boolean gzip, boolean images) {
        try (DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw)) {
            int magic = in.readInt();
            int expected = images ? 0x803 : 0x801;
            if (magic != expected) {
                throw new DataException(file, String.format("not an idx %s file (magic 0x%x, expected 0x%x)",
                        images ? "image" : "label", magic, expected));
            }
            int n = in.readInt();
            int itemBytes = 1;
            if (images) {
                int rows = in.readInt();
                int cols = in.readInt();
                if (rows != SIDE || cols != SIDE) {
                    throw new DataException(file, "images are " + rows + "x" + cols + ", Fashion-MNIST's are 28x28");
                }
                itemBytes = PIXELS;
            }
            if (n <= 0 || (long) n * itemBytes > Integer.MAX_VALUE - 64) {
                throw new DataException(file, "implausible item count " + n);
            }
            byte[] payload = new byte[n * itemBytes];
            in.readFully(payload);
            in.transferTo(OutputStream.nullOutputStream()); // to the end, so the digest covers the whole file
            if (!images) {
                for (byte label : payload) {
                    if (label < 0 || label > 9) {
                        throw new DataException(file, "label " + label + " is not a Fashion-MNIST class (0..9)");
                    }
                }
            }
            return payload;
        } catch (EOFException e) {
            throw new DataException(file, "truncated: the file ends before its header's item count", e);
        } catch (IOException e) {
            throw new DataException(file, "cannot read idx data: " + e, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
