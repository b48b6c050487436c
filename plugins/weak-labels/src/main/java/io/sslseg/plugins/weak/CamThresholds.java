package io.sslseg.plugins.weak;

import io.sslseg.api.data.LabelMask;
import java.util.Set;

/** From class activation maps to a pixel pseudo-label: pure array code, so tests can give known maps. */
final class CamThresholds {
    private CamThresholds() {}

    /**
     * Scales each map to a maximum of 1 (IRN's max-normalisation; a map that is nowhere positive stays 0).
     *
     * @param maps [class][pixel], non-negative; changed in place
     */
    static void normaliseByMax(float[][] maps) {
        for (float[] m : maps) {
            float max = 0;
            for (float v : m) {
                max = Math.max(max, v);
            }
            if (max > 0) {
                for (int i = 0; i < m.length; i++) {
                    m[i] /= max;
                }
            }
        }
    }

    /**
     * The pseudo-label: the best tagged class where its map exceeds {@code fg}; background where every tagged
     * class's map is below {@code bg}; {@link LabelMask#IGNORE} between. Untagged classes never win: an image
     * with no tags is all background.
     *
     * @param maps [class id - 1][pixel], normalised, for every foreground class
     * @param tags the image's foreground class ids (1-based)
     */
    static LabelMask label(float[][] maps, Set<Integer> tags, int width, int height, double fg, double bg) {
        float fgf = (float) fg; // compare in the maps' precision: 0.30 as a double is below 0.30f
        float bgf = (float) bg;
        byte[] out = new byte[width * height];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            float bestValue = -1;
            for (int c : tags) {
                float v = maps[c - 1][i];
                if (v > bestValue) {
                    bestValue = v;
                    best = c;
                }
            }
            if (best != 0 && bestValue > fgf) {
                out[i] = (byte) best;
            } else if (best == 0 || bestValue < bgf) {
                out[i] = 0;
            } else {
                out[i] = (byte) LabelMask.IGNORE;
            }
        }
        return new LabelMask(width, height, out);
    }
}
