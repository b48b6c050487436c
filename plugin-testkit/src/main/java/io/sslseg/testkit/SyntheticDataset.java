package io.sslseg.testkit;

import io.sslseg.api.data.DatasetFactory;
import io.sslseg.api.data.DatasetInfo;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.SegDataset;
import io.sslseg.api.data.Split;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A small procedural dataset for platform tests: noisy backgrounds with a red square (class 1) and a
 * blue disc (class 2), a 1-pixel ignore border on the square. Easy enough that a tiny network learns it in
 * a few dozen steps, so tests of the loop finish in seconds.
 */
public final class SyntheticDataset implements SegDataset {
    /** @param weak images with tags only (their true masks are there for pseudo-label quality reports) */
    public record Params(int labeled, int unlabeled, int weak, int val, int size, long seed) {}

    public static DatasetFactory<Params> factory() {
        return DatasetFactory.of(Params.class, new Params(32, 0, 0, 16, 32, 7),
                "procedural squares and discs (tests only)", (p, context) -> new SyntheticDataset(p));
    }

    private final Params p;

    public SyntheticDataset(Params p) {
        this.p = p;
    }

    @Override
    public DatasetInfo info() {
        return new DatasetInfo("synthetic " + p, List.of("background", "square", "disc"));
    }

    @Override
    public SampleList split(Split split) {
        return switch (split) {
            case LABELED -> list("train", p.labeled(), true);
            case UNLABELED -> list("unlabeled", p.unlabeled(), false);
            case WEAK -> list("weak", p.weak(), false);  // tags only
            case VAL -> list("val", p.val(), true);
        };
    }

    @Override
    public LabelMask referenceMask(Split split, int index) {
        return split == Split.WEAK ? list("weak", p.weak(), true).load(index).mask() : null;
    }

    private SampleList list(String prefix, int n, boolean masks) {
        // in weak scenes the square is present only half the time: a tag present in every image would carry no
        // information for a tag classifier to learn from
        return SampleList.of(n, i -> prefix + "_" + i,
                i -> scene(prefix + "_" + i, (prefix.hashCode() * 31L + i) ^ p.seed(), masks, prefix.equals("weak")));
    }

    private Sample scene(String id, long seed, boolean withMask, boolean squareOptional) {
        int s = p.size();
        Random r = new Random(seed);
        byte[] rgb = new byte[s * s * 3];
        byte[] mask = new byte[s * s];
        for (int i = 0; i < s * s; i++) {
            int g = 90 + r.nextInt(60);
            rgb[i * 3] = (byte) g;
            rgb[i * 3 + 1] = (byte) g;
            rgb[i * 3 + 2] = (byte) g;
        }
        Set<Integer> tags = new TreeSet<>();
        boolean square = !squareOptional || new Random(~seed).nextBoolean();
        int side = s / 4 + r.nextInt(s / 4);
        int x0 = r.nextInt(s - side);
        int y0 = r.nextInt(s - side);
        for (int y = y0; y < y0 + side; y++) {
            for (int x = x0; x < x0 + side; x++) {
                boolean border = y == y0 || x == x0 || y == y0 + side - 1 || x == x0 + side - 1;
                if (square) {
                    paint(rgb, mask, y * s + x, 220, 40, 40, border ? LabelMask.IGNORE : 1);
                }
            }
        }
        if (square) {
            tags.add(1);
        }
        if (r.nextBoolean()) {
            int rad = s / 8 + r.nextInt(s / 8);
            int cx = rad + r.nextInt(s - 2 * rad);
            int cy = rad + r.nextInt(s - 2 * rad);
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= rad * rad) {
                        paint(rgb, mask, y * s + x, 40, 60, 220, 2);
                    }
                }
            }
            tags.add(2);
        }
        return new Sample(id, new RgbImage(s, s, rgb), withMask ? new LabelMask(s, s, mask) : null, tags);
    }

    private static void paint(byte[] rgb, byte[] mask, int i, int r, int g, int b, int label) {
        rgb[i * 3] = (byte) r;
        rgb[i * 3 + 1] = (byte) g;
        rgb[i * 3 + 2] = (byte) b;
        mask[i] = (byte) label;
    }
}
