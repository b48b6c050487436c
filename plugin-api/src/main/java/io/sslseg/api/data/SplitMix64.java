package io.sslseg.api.data;

/**
 * A small seedable generator (Steele, Lea and Flood's SplitMix64) for data that must be reproduced bit for
 * bit: generated scenes, shuffles, augmentation draws.
 *
 * <p>Written out here rather than taken from the JDK because {@code java.util} generators do not promise
 * their algorithm across releases ({@code nextGaussian} changed in JDK 17), and the transcendental functions
 * go through {@link StrictMath}, whose results are specified exactly, where {@link Math} may differ by an
 * ulp between the interpreter and the JIT. Not thread-safe: give each task its own instance, seeded with
 * {@link #of} from the values that identify the task (seed, epoch, index), so thread timing cannot change
 * a result.
 */
public final class SplitMix64 {
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private long state;
    private double spareGaussian;
    private boolean hasSpare;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /**
     * A generator whose seed hashes all {@code parts} in order. Each part passes through the mixer before
     * the next is added, so nearby inputs ({@code (s, i+1)} and {@code (s+1, i)}) give unrelated streams:
     * two base seeds never produce shifted copies of each other's sequence.
     */
    public static SplitMix64 of(long... parts) {
        return new SplitMix64(hash(parts));
    }

    public static long hash(long... parts) {
        long h = 0;
        for (long part : parts) {
            h = mix((h + GAMMA) ^ part);
        }
        return h;
    }

    /** The SplitMix64 finaliser: a bijective avalanche of 64 bits. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += GAMMA;
        return mix(state);
    }

    /** Uniform in [0, 1), 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [min, max). */
    public double nextDouble(double min, double max) {
        return min + (max - min) * nextDouble();
    }

    /** Uniform in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long bits;
        long value;
        do {
            bits = nextLong() >>> 1;
            value = bits % bound;
        } while (bits - value + (bound - 1) < 0);
        return (int) value;
    }

    /** Uniform in [min, max], both ends included. */
    public int nextIntClosed(int min, int max) {
        return min + nextInt(max - min + 1);
    }

    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** Standard normal (Marsaglia's polar method: needs only log and sqrt, both exactly specified). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spareGaussian = v * factor;
        hasSpare = true;
        return u * factor;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
