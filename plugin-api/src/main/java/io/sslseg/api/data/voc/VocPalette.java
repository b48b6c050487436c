package io.sslseg.api.data.voc;

import java.awt.image.IndexColorModel;

/**
 * The PASCAL VOC label colours: entry i spreads the bits of i over the three channels, most significant
 * first (bit 0 to red, 1 to green, 2 to blue, then the next three bits one position lower). Index 0 is
 * black, 1 is (128,0,0), 255 (ignore) is (224,224,192). Masks store indices; the colours only make them
 * viewable, so any palette PNG is read by index, never by colour.
 */
public final class VocPalette {
    public static final int SIZE = 256;
    private static final byte[] R = new byte[SIZE];
    private static final byte[] G = new byte[SIZE];
    private static final byte[] B = new byte[SIZE];
    private static final IndexColorModel MODEL;

    static {
        for (int i = 0; i < SIZE; i++) {
            int r = 0;
            int g = 0;
            int b = 0;
            int c = i;
            for (int shift = 7; c != 0; shift--, c >>= 3) {
                r |= (c & 1) << shift;
                g |= ((c >> 1) & 1) << shift;
                b |= ((c >> 2) & 1) << shift;
            }
            R[i] = (byte) r;
            G[i] = (byte) g;
            B[i] = (byte) b;
        }
        MODEL = new IndexColorModel(8, SIZE, R, G, B);
    }

    private VocPalette() {}

    /** The colour of label {@code index} as 0xRRGGBB. */
    public static int rgb(int index) {
        if (index < 0 || index >= SIZE) {
            throw new IllegalArgumentException("palette index must be 0..255, got " + index);
        }
        return (R[index] & 0xFF) << 16 | (G[index] & 0xFF) << 8 | (B[index] & 0xFF);
    }

    /** The palette as an 8-bit colour model (immutable, shared). */
    public static IndexColorModel colorModel() {
        return MODEL;
    }
}
