package io.sslseg.api.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StagedParamsTest {
    private static final StagedParams P = new StagedParams(List.of(2, 2, 6, 2), List.of(8, 16, 32, 64), 4, 0.1, 1e-5,
            null);

    @Test
    void keepsItsValuesAndCopiesTheLists() {
        List<Integer> widths = new ArrayList<>(List.of(8, 16));
        StagedParams p = new StagedParams(List.of(1, 1), widths, 2, 0, 0, "  ");
        widths.set(0, 99);
        assertEquals(List.of(8, 16), p.widths());
        assertNull(p.weights(), "a blank weights path means none");
        assertEquals(new StagedParams(List.of(2, 2, 6, 2), List.of(4, 8, 16, 32), 4, 0.1, 1e-5, null),
                P.withWidths(List.of(4, 8, 16, 32)));
        assertEquals(new StagedParams(List.of(2, 2, 6, 2), List.of(8, 16, 32, 64), 4, 0.3, 1e-5, null),
                P.withDropPath(0.3));
        assertEquals(new StagedParams(List.of(2, 2, 6, 2), List.of(8, 16, 32, 64), 4, 0.1, 1e-5, "w.params"),
                P.withWeights("w.params"));
    }

    @Test
    void rejectsUnsupportedSettingsWithTheirRange() {
        assertMessage("stemStride must be 2 or 4, got 3", () -> new StagedParams(P.depths(), P.widths(), 3, 0.1, 0,
                null));
        assertMessage("dropPath must be in [0, 1), got 1.0", () -> P.withDropPath(1));
        assertMessage("dropPath must be in [0, 1), got -0.1", () -> P.withDropPath(-0.1));
        assertMessage("layerScaleInit must be >= 0 (0: no layer scale), got -1.0",
                () -> new StagedParams(P.depths(), P.widths(), 4, 0.1, -1, null));
        assertMessage("layerScaleInit must be >= 0 (0: no layer scale), got NaN",
                () -> new StagedParams(P.depths(), P.widths(), 4, 0.1, Double.NaN, null));
        assertMessage("layerScaleInit must be >= 0 (0: no layer scale), got Infinity",
                () -> new StagedParams(P.depths(), P.widths(), 4, 0.1, Double.POSITIVE_INFINITY, null));
        assertMessage("depths and widths need one entry per stage, as many of each; got [2, 2, 6, 2] and [8, 16, 32]",
                () -> P.withWidths(List.of(8, 16, 32)));
        assertMessage("depths and widths must be positive, got [2, 2, 6, 2] and [8, 16, 32, 0]",
                () -> P.withWidths(List.of(8, 16, 32, 0)));
    }

    private static void assertMessage(String expected, Runnable create) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, create::run).getMessage());
    }
}
