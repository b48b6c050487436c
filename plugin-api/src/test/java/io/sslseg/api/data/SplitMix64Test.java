package io.sslseg.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SplitMix64Test {
    @Test
    void knownValuesOfTheReferenceAlgorithm() {
        // First outputs of SplitMix64 seeded with 0 (reference C implementation by Vigna).
        SplitMix64 r = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
    }

    @Test
    void mixedSeedsAreNotShiftedCopies() {
        long[] a = new long[8];
        long[] b = new long[8];
        for (int i = 0; i < 8; i++) {
            a[i] = SplitMix64.hash(1, 0, i + 1);
            b[i] = SplitMix64.hash(2, 0, i);
        }
        for (long x : a) {
            for (long y : b) {
                assertNotEquals(x, y);
            }
        }
        assertNotEquals(SplitMix64.hash(1, 2), SplitMix64.hash(2, 1));
    }

    @Test
    void boundedDrawsStayInRangeAndCoverIt() {
        SplitMix64 r = SplitMix64.of(7);
        int[] counts = new int[3];
        for (int i = 0; i < 3000; i++) {
            counts[r.nextIntClosed(1, 3) - 1]++;
        }
        for (int c : counts) {
            assertTrue(c > 850 && c < 1150, Arrays.toString(counts));
        }
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < 20000; i++) {
            double g = r.nextGaussian();
            sum += g;
            sq += g * g;
        }
        assertEquals(0, sum / 20000, 0.03);
        assertEquals(1, sq / 20000, 0.05);
        int[] p = SplitMix64.of(3).permutation(10);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
    }
}
