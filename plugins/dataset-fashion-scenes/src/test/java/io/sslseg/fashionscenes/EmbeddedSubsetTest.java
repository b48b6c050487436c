package io.sslseg.fashionscenes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EmbeddedSubsetTest {
    @Test
    void embeddedSubsetLoadsWithLicence() {
        FashionMnist embedded = FashionMnist.load(FashionMnist.locate(FashionMnist.EMBEDDED_SOURCE));
        assertEquals(EmbeddedSubsetTool.TRAIN, embedded.trainCount());
        assertEquals(EmbeddedSubsetTool.TEST, embedded.testCount());
        assertTrue(embedded.description().startsWith("subset embedded in the plugin, 6000 train + 1000 test items, sha256 "),
                embedded.description());
        assertTrue(getClass().getResource(FashionMnist.EMBEDDED + "LICENSE") != null, "the MIT licence ships with the items");
    }

    /** The embedded files are exactly what the tool cuts from the installed dataset. */
    @Test
    void embeddedSubsetIsThePrefixOfTheInstalledDataset() throws Exception {
        Path installed = FashionMnist.debianFolder();
        assumeTrue(installed != null, "dataset-fashion-mnist is not installed here");
        FashionMnist embedded = FashionMnist.load(FashionMnist.locate(FashionMnist.EMBEDDED_SOURCE));
        for (int i = 0; i < 4; i++) {
            boolean images = i % 2 == 0;
            int count = i < 2 ? EmbeddedSubsetTool.TRAIN : EmbeddedSubsetTool.TEST;
            byte[] expected = EmbeddedSubsetTool.cut(installed.resolve(FashionMnist.FILES.get(i) + ".gz"), images, count);
            byte[] actual = switch (i) {
                case 0 -> embedded.trainImages();
                case 1 -> embedded.trainLabels();
                case 2 -> embedded.testImages();
                default -> embedded.testLabels();
            };
            assertArrayEquals(expected, actual, FashionMnist.FILES.get(i));
        }
    }
}
