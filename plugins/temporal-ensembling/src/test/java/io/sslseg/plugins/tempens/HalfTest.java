package io.sslseg.plugins.tempens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** float <-> binary16 against the IEEE 754 rules (values from the standard's tables, not from the code). */
class HalfTest {

    private static int bits(float f) {
        return Half.fromFloat(f) & 0xFFFF;
    }

    @Test
    void knownEncodings() {
        assertEquals(0x0000, bits(0f));
        assertEquals(0x8000, bits(-0f));
        assertEquals(0x3C00, bits(1f));
        assertEquals(0xC000, bits(-2f));
        assertEquals(0x3800, bits(0.5f));
        assertEquals(0x3555, bits(1f / 3), "1/3 rounds to 0x3555 (0.333251953125)");
        assertEquals(0x7BFF, bits(65504f), "the largest finite half");
        assertEquals(0x0400, bits(0x1p-14f), "the smallest normal");
        assertEquals(0x0001, bits(0x1p-24f), "the smallest subnormal");
        assertEquals(0x03FF, bits(1023 * 0x1p-24f), "the largest subnormal");
        assertEquals(0x7C00, bits(Float.POSITIVE_INFINITY));
        assertEquals(0xFC00, bits(Float.NEGATIVE_INFINITY));
        assertEquals(0.333251953125f, Half.toFloat((short) 0x3555));
        assertEquals(65504f, Half.toFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, Half.toFloat((short) 0x0001));
        assertEquals(-0f, Half.toFloat((short) 0x8000));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Half.toFloat((short) 0x8000)));
    }

    @Test
    void everyHalfRoundTripsExactly() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Half.toFloat((short) h);
            boolean nan = (h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0;
            if (nan) {
                assertTrue(Float.isNaN(f), "half " + Integer.toHexString(h) + " is NaN");
                assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(f))));
            } else {
                assertEquals(h, bits(f), "round trip of half " + Integer.toHexString(h) + " = " + f);
            }
        }
    }

    @Test
    void nanStaysNan() {
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN))));
        // a NaN whose payload sits only in the low float bits must not become infinity
        float lowPayload = Float.intBitsToFloat(0x7F800001);
        assertTrue(Float.isNaN(lowPayload));
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(lowPayload))));
    }

    /**
     * Between every two adjacent non-negative finite halves: the exact midpoint goes to the one with an even
     * mantissa, and one float ulp either side of it goes to the nearer one. This covers subnormals, the
     * subnormal/normal boundary and every binade.
     */
    @Test
    void roundsToNearestTiesToEven() {
        for (int h = 0; h < 0x7BFF; h++) {
            float lo = Half.toFloat((short) h);
            float hi = Half.toFloat((short) (h + 1));
            float mid = (lo + hi) / 2; // exact: halves have 11 significant bits, floats 24
            assertEquals((double) lo + ((double) hi - lo) / 2, mid, 0.0);
            int even = (h & 1) == 0 ? h : h + 1;
            assertEquals(even, bits(mid), "midpoint of " + lo + " and " + hi);
            assertEquals(h, bits(Math.nextDown(mid)), "just below the midpoint of " + lo + " and " + hi);
            assertEquals(h + 1, bits(Math.nextUp(mid)), "just above the midpoint of " + lo + " and " + hi);
            assertEquals(h | 0x8000, bits(-Math.nextDown(mid)), "negative side");
        }
    }

    @Test
    void overflowAndUnderflow() {
        assertEquals(0x7BFF, bits(65519.99f), "below the midpoint to 2^16 stays at the max");
        assertEquals(0x7C00, bits(65520f), "the midpoint between 65504 and 2^16 rounds (to even) to infinity");
        assertEquals(0x7C00, bits(1e6f));
        assertEquals(0xFC00, bits(-1e6f));
        assertEquals(0x0000, bits(0x1p-25f), "half the smallest subnormal is a tie: to even, 0");
        assertEquals(0x0001, bits(Math.nextUp(0x1p-25f)), "just above it rounds up");
        assertEquals(0x0000, bits(0x1p-26f));
        assertEquals(0x8000, bits(-0x1p-30f), "underflow keeps the sign");
        assertEquals(0x0000, bits(Float.MIN_VALUE), "float subnormals are far below half's range");
        assertEquals(0x0002, bits(0x1.8p-24f), "1.5 x 2^-24 is a tie between 1 and 2 units: to even, 2");
        assertEquals(0x0002, bits(0x1.4p-23f), "2.5 x 2^-24 is a tie between 2 and 3 units: to even, 2");
        assertEquals(0x0400, bits(0x1.ffcp-15f), "the subnormal/normal tie 1023.5 units rounds up to the smallest normal");
    }

    @Test
    void relativeErrorOfProbabilitiesIsAtMostTwoToTheMinus11() {
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 100_000; i++) {
            float p = r.nextFloat();
            float q = Half.toFloat(Half.fromFloat(p));
            if (p >= 0x1p-14f) {
                assertTrue(Math.abs(q - p) <= p * 0x1p-11, p + " -> " + q); // half an ulp of 11 bits
            } else {
                assertTrue(Math.abs(q - p) <= 0x1p-25f, p + " -> " + q);
            }
        }
    }
}
