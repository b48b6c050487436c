package io.sslseg.fashionscenes;

/**
 * The parameters of {@code fashion-scenes}; every one of them is part of the dataset's identity.
 *
 * @param train scenes in the training pool (labelled subset + the rest)
 * @param val validation scenes
 * @param labeled pixel-labelled scenes: a prefix of the pool's fixed shuffled order, so smaller subsets are
 *     nested in larger ones (the benchmark's subsets are 50, 100, 200, 500 and 1000)
 * @param seed base seed; each scene's generator hashes (seed, split, index)
 * @param size canvas side in pixels (items are up to 50 px and must fit)
 * @param source folder with the Fashion-MNIST idx files; empty: the Debian package when installed, else the
 *     subset embedded in the plugin; {@code embedded}: that subset, installed package or not
 * @param weak whether the non-labelled pool scenes also form the WEAK split (image-level tags only)
 * @param unlabeled how many of the non-labelled pool scenes form the UNLABELED and WEAK splits (the first ones in
 *     the pool's order); 0 = all of them. Unlike a smaller {@code train}, it leaves the labelled subset as it is,
 *     so runs that continue another run's training can draw from a smaller unlabelled pool on the same labels
 */
public record FashionScenesParams(int train, int val, int labeled, long seed, int size, String source, boolean weak,
        int unlabeled) {
    /** The largest item: round(28 * 1.8). */
    static final int MAX_ITEM = 50;

    public static final FashionScenesParams DEFAULTS = new FashionScenesParams(10_000, 1_000, 1_000, 42, 64, "", true, 0);

    /** All of the non-labelled pool unlabelled. */
    public FashionScenesParams(int train, int val, int labeled, long seed, int size, String source, boolean weak) {
        this(train, val, labeled, seed, size, source, weak, 0);
    }

    public FashionScenesParams {
        if (train < 1 || train > 1_000_000) {
            throw new IllegalArgumentException("train must be 1..1000000 scenes, got " + train);
        }
        if (val < 1 || val > 1_000_000) {
            throw new IllegalArgumentException("val must be 1..1000000 scenes, got " + val);
        }
        if (labeled < 1 || labeled > train) {
            throw new IllegalArgumentException("labeled must be 1.." + train + " (at most 'train', the pool it is"
                    + " drawn from), got " + labeled);
        }
        if (size < MAX_ITEM || size > 1024) {
            throw new IllegalArgumentException("size must be " + MAX_ITEM + "..1024 pixels (an item can be "
                    + MAX_ITEM + " px wide), got " + size);
        }
        if (unlabeled < 0 || unlabeled > train - labeled) {
            throw new IllegalArgumentException("unlabeled must be 0 (all) or 1.." + (train - labeled)
                    + " (the pool scenes left after the labelled ones), got " + unlabeled);
        }
        source = source == null ? "" : source.strip();
    }

    /** The size of the unlabelled (and weak) split. */
    public int unlabeledCount() {
        return unlabeled == 0 ? train - labeled : unlabeled;
    }
}
