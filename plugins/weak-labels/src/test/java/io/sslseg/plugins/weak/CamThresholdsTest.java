package io.sslseg.plugins.weak;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.sslseg.api.data.LabelMask;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Max-normalisation and thresholding on hand-made 4-pixel maps with known answers. */
class CamThresholdsTest {
    private static final byte I = (byte) LabelMask.IGNORE;

    @Test
    void eachMapIsDividedByItsOwnMaximum() {
        float[][] maps = {{0f, 2f, 4f, 1f}, {0f, 0f, 0f, 0f}, {0.5f, 0.25f, 0f, 0f}};
        CamThresholds.normaliseByMax(maps);
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 0.25f}, maps[0], 1e-7f);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, maps[1], 0f, "an all-zero map stays zero");
        assertArrayEquals(new float[] {1f, 0.5f, 0f, 0f}, maps[2], 1e-7f);
    }

    @Test
    void foregroundAboveFgBackgroundBelowBgIgnoreBetween() {
        // class 1: 0.9 0.2 0.04 0.31; class 2 (tagged) wins pixel 1 with 0.6
        float[][] maps = {{0.9f, 0.2f, 0.04f, 0.31f}, {0.1f, 0.6f, 0.01f, 0.0f}, {1f, 1f, 1f, 1f}};
        LabelMask m = CamThresholds.label(maps, Set.of(1, 2), 2, 2, 0.30, 0.05);
        assertArrayEquals(new byte[] {1, 2, 0, 1}, m.labels());
        LabelMask onlyOne = CamThresholds.label(maps, Set.of(1), 2, 2, 0.30, 0.05);
        assertArrayEquals(new byte[] {1, I, 0, 1}, onlyOne.labels(), "0.2 is between the thresholds: unsure");
    }

    @Test
    void untaggedClassesNeverWinAndNoTagsMeansBackground() {
        float[][] maps = {{0.1f, 0.1f, 0.1f, 0.1f}, {0f, 0f, 0f, 0f}, {1f, 1f, 1f, 1f}};
        assertArrayEquals(new byte[] {I, I, I, I}, CamThresholds.label(maps, Set.of(1), 2, 2, 0.3, 0.05).labels(),
                "class 3's strong map is ignored: it is not tagged");
        assertArrayEquals(new byte[] {0, 0, 0, 0}, CamThresholds.label(maps, Set.of(), 2, 2, 0.3, 0.05).labels());
    }

    @Test
    void exactlyAtTheThresholdsIsUnsure() {
        float[][] maps = {{0.30f, 0.05f, 0.0499f, 0.3001f}};
        assertArrayEquals(new byte[] {I, I, 0, 1}, CamThresholds.label(maps, Set.of(1), 2, 2, 0.30, 0.05).labels());
    }
}
