package io.sslseg.platform.data;

import io.sslseg.api.data.DataException;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import java.nio.file.Path;
import java.util.Set;

/** Small in-memory splits for the pipeline tests. */
final class TestLists {
    private TestLists() {}

    /** Value of the red channel that encodes a label, so image and mask can be compared after augmentation. */
    static int red(int label) {
        return 20 + label * 20;
    }

    /**
     * Images whose labels are constant in 4x4 blocks (label = block index mod 5), the red channel encoding the
     * label, green encoding the column; tags {index % 3 + 1}. {@code sizes[i]} = side of image i (square).
     */
    static SampleList blocks(int[] sizes, boolean masks, int failAt) {
        return new SampleList() {
            @Override
            public int size() {
                return sizes.length;
            }

            @Override
            public String id(int index) {
                return "s" + index;
            }

            @Override
            public Sample load(int index) {
                if (index == failAt) {
                    throw new DataException(Path.of("JPEGImages/s" + index + ".jpg"), "corrupt or truncated image: test");
                }
                int n = sizes[index];
                byte[] rgb = new byte[n * n * 3];
                byte[] labels = new byte[n * n];
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        int label = ((y / 4) * 7 + x / 4 + index) % 5;
                        labels[y * n + x] = (byte) label;
                        rgb[(y * n + x) * 3] = (byte) red(label);
                        rgb[(y * n + x) * 3 + 1] = (byte) (x * 3);
                        rgb[(y * n + x) * 3 + 2] = (byte) index;
                    }
                }
                return new Sample(id(index), new RgbImage(n, n, rgb), masks ? new LabelMask(n, n, labels) : null,
                        masks ? null : Set.of(index % 3 + 1));
            }
        };
    }

    static SampleList uniform(int count, int side, boolean masks) {
        int[] sizes = new int[count];
        java.util.Arrays.fill(sizes, side);
        return blocks(sizes, masks, -1);
    }
}
