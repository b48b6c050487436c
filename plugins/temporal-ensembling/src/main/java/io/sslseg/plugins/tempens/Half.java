package io.sslseg.plugins.tempens;

/**
 * IEEE 754 binary16 ("half") conversions for Java 17, which lacks {@code Float.floatToFloat16} (Java 20).
 * Float to half rounds to nearest, ties to even, including into and within the subnormal range; values
 * beyond the largest half (65504) after rounding become infinite; NaN stays NaN (quiet, sign and top payload
 * bits kept). Half to float is exact.
 */
public final class Half {
    /** The largest finite half, 65504. */
    public static final float MAX_VALUE = 65504f;
    /** The smallest positive (subnormal) half, 2^-24. */
    public static final float MIN_VALUE = 0x1p-24f;

    private Half() {}

    /** The half nearest to {@code f} (ties to even), as its 16 bits. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        if (exp == 0xFF) {
            // infinity keeps its sign; NaN becomes a quiet NaN with the top payload bits
            return (short) (mant == 0 ? sign | 0x7C00 : sign | 0x7E00 | (mant >>> 13));
        }
        int e = exp - 127 + 15; // the half's biased exponent
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e >= 1) {
            int h = sign | (e << 10) | (mant >>> 13);
            int rest = mant & 0x1FFF;
            if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0)) {
                h++; // a carry runs into the exponent (and to infinity past 65504), which is what rounding wants
            }
            return (short) h;
        }
        // subnormal half: the value in units of 2^-24 is (1.mant * 2^23) >> (14 - e)
        int shift = 14 - e;
        if (shift > 24) {
            return (short) sign; // below half the smallest subnormal (float subnormals included): signed zero
        }
        int full = mant | 0x800000;
        int m = full >>> shift;
        int rest = full & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (m & 1) != 0)) {
            m++; // may become 0x400, the smallest normal: the right encoding
        }
        return (short) (sign | m);
    }

    /** The float of a half's 16 bits (exact). */
    public static float toFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int e = (h >>> 10) & 0x1F;
        int m = h & 0x3FF;
        if (e == 0) {
            float v = m * MIN_VALUE; // subnormal (or zero): exact in float
            return sign != 0 ? -v : v;
        }
        if (e == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (m << 13));
        }
        return Float.intBitsToFloat(sign | ((e - 15 + 127) << 23) | (m << 13));
    }
}
