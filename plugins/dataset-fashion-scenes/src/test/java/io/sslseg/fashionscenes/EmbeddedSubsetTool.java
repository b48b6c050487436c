package io.sslseg.fashionscenes;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Cuts the subset the plugin embeds from the installed Fashion-MNIST: the first 6,000 train and 1,000 test
 * items, as gzipped idx files with the counts in their headers changed accordingly. Reproducible: run it
 * again and {@link EmbeddedSubsetTest} checks the result against the resources.
 *
 * <pre>
 * mvn -q -f plugins/dataset-fashion-scenes test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.sslseg.fashionscenes.EmbeddedSubsetTool \
 *     -Dexec.args="/usr/share/datasets/fashion-mnist plugins/dataset-fashion-scenes/src/main/resources/io/sslseg/fashionscenes/fashion-mnist"
 * </pre>
 */
public final class EmbeddedSubsetTool {
    static final int TRAIN = 6_000;
    static final int TEST = 1_000;

    private EmbeddedSubsetTool() {}

    public static void main(String[] args) throws IOException {
        Path source = args.length > 0 ? Path.of(args[0]) : FashionMnist.debianFolder();
        if (source == null) {
            throw new IllegalStateException("Fashion-MNIST is not installed: " + FashionMnist.INSTALL_HINT);
        }
        Path out = Path.of(args.length > 1 ? args[1]
                : "plugins/dataset-fashion-scenes/src/main/resources/io/sslseg/fashionscenes/fashion-mnist");
        Files.createDirectories(out);
        for (int i = 0; i < FashionMnist.FILES.size(); i++) {
            String name = FashionMnist.FILES.get(i);
            boolean images = i % 2 == 0;
            int count = i < 2 ? TRAIN : TEST;
            byte[] payload = cut(source.resolve(name + ".gz"), images, count);
            Path target = out.resolve(name + ".gz");
            try (DataOutputStream idx = new DataOutputStream(gzip(Files.newOutputStream(target)))) {
                idx.writeInt(images ? 0x803 : 0x801);
                idx.writeInt(count);
                if (images) {
                    idx.writeInt(FashionMnist.SIDE);
                    idx.writeInt(FashionMnist.SIDE);
                }
                idx.write(payload);
            }
            System.out.println(target + ": " + count + " items, " + Files.size(target) + " bytes");
        }
    }

    /** The first {@code count} items of an idx file. */
    static byte[] cut(Path file, boolean images, int count) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] all = FashionMnist.readIdx(file, in, true, images);
            return Arrays.copyOf(all, count * (images ? FashionMnist.PIXELS : 1));
        }
    }

    /** Best compression; GZIPOutputStream writes a fixed header (no time stamp, no name). */
    private static OutputStream gzip(OutputStream out) throws IOException {
        return new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        };
    }
}
