package io.sslseg.platform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `compare --out DIR` without --grid: the folder's record of its grid, and clear errors when there is none. */
class CompareCommandTest {
    private record Result(int code, String err) {}

    private static Result compare(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "compare";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = SslsegCli.run(all, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void neitherGridNorOutIsOneLineSayingWhatToGive() {
        Result r = compare();
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("give --grid FILE (a comparison to run) or --out DIR"), r.err());
    }

    @Test
    void aFolderWithoutARecordIsNamed(@TempDir Path dir) {
        Result r = compare("--out", dir.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(dir + " holds no comparison (no compare.yaml"), r.err());
    }

    @Test
    void aRecordWhoseGridIsGoneOrIncompleteIsNamed(@TempDir Path dir) throws Exception {
        Path record = dir.resolve("compare.yaml");
        Files.writeString(record, "grid: " + dir.resolve("moved.yaml") + "\nlauncher: slurm\n");
        Result gone = compare("--out", dir.toString());
        assertEquals(1, gone.code(), gone.err());
        assertTrue(gone.err().contains("names the grid " + dir.resolve("moved.yaml") + ", which is not there any more"),
                gone.err());

        Files.writeString(record, "grid: " + dir.resolve("moved.yaml") + "\n");
        Result partial = compare("--out", dir.toString());
        assertEquals(1, partial.code(), partial.err());
        assertTrue(partial.err().contains(record + ": needs the keys grid and launcher"), partial.err());
    }
}
