package io.sslseg.voc;

import io.sslseg.api.Progress;
import io.sslseg.api.data.DatasetContext;
import io.sslseg.api.data.VocExportable;
import io.sslseg.fashionscenes.FashionScenes;
import io.sslseg.fashionscenes.FashionScenesParams;
import io.sslseg.testkit.DatasetContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The dataset contract on a VOC folder (small FashionScenes written in VOC layout, weak tags from Annotations/). */
class VocContractTest {
    @TestFactory
    Stream<DynamicTest> aVocFolderMeetsTheDatasetContract() throws IOException {
        Path dir = Files.createTempDirectory("sslseg-voc-contract");
        Path folder = dir.resolve("voc");
        ((VocExportable) FashionScenes.factory().create(new FashionScenesParams(90, 20, 30, 7, 64, "embedded", true),
                new DatasetContext(dir))).exportVoc(folder, Progress.NONE);
        return DatasetContract.check("{type: voc, root: '" + folder + "', labeled: 30, weak: true}", new VocModule());
    }
}
