package io.sslseg.platform.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.api.SslsegException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's recorded dataset and plugins against the current ones: refused with each difference named, or accepted. */
class RunRecordTest {
    private static final String LOCK = "# plugin-id version sha256 jar\nunet 0.2.0 aaa unet-0.2.0.jar\n"
            + "voc 0.2.0 bbb voc-0.2.0.jar\n";

    @Test
    void theSameDataAndPluginsPassAChangedOneIsRefusedNamingIt(@TempDir Path tmp) throws Exception {
        RunFolder f = RunFolder.create(tmp.resolve("run"));
        RunRecord.writeDataset(f, "voc /data/voc (10/0/5 images, lists sha256 11, files sha256 22)");
        Files.writeString(f.dir().resolve(RunFolder.LOCK), LOCK);

        assertEquals(List.of(), RunRecord.check(f, "voc /data/voc (10/0/5 images, lists sha256 11, files sha256 22)",
                LOCK.replace("unet-0.2.0.jar", "renamed.jar"), false), "a jar's file name is not its identity");

        String newLock = LOCK.replace("aaa", "ccc").replace("voc 0.2.0 bbb voc-0.2.0.jar\n", "") + "cct 0.2.0 ddd c.jar\n";
        SslsegException e = assertThrows(SslsegException.class, () -> RunRecord.check(f,
                "voc /data/voc (10/0/5 images, lists sha256 11, files sha256 33)", newLock, false));
        String m = e.getMessage();
        assertTrue(m.startsWith(f.dir() + " was trained with other data or plugins than it would use now:"), m);
        assertTrue(m.contains("dataset: recorded 'files sha256 22', now 'files sha256 33' (the whole record: "), m);
        assertTrue(m.contains("plugin unet: recorded 0.2.0 sha256 aaa, now 0.2.0 sha256 ccc"), m);
        assertTrue(m.contains("plugin voc: used by the run (0.2.0 sha256 bbb), not installed now"), m);
        assertTrue(m.contains("plugin cct: not used by the run, installed now (0.2.0 sha256 ddd)"), m);
        assertTrue(m.endsWith("pass --accept-changes to go on anyway"), m);

        List<String> accepted = RunRecord.check(f, "voc /data/voc (10/0/5 images, lists sha256 11, files sha256 33)",
                newLock, true);
        assertEquals(4, accepted.size(), accepted.toString());
    }

    @Test
    void aRunRecordedBeforeTheRecordExistedHasNothingToCompare(@TempDir Path tmp) {
        RunFolder f = RunFolder.create(tmp.resolve("old"));
        assertEquals(List.of(), RunRecord.check(f, "anything", LOCK, false));
    }
}
