package io.sslseg.platform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `sslseg runs` over hand-made run folders, and `sslseg completion bash`. */
class RunsAndCompletionCommandTest {
    private record Result(int code, String out, String err) {}

    private static Result sslseg(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SslsegCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void run(Path dir, String config, String metrics, String status) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.yaml"), config);
        Files.writeString(dir.resolve("metrics.jsonl"), metrics);
        Files.writeString(dir.resolve("status"), status + "\n");
    }

    @Test
    void runsListsEachFolderWithMethodStatusStepsAndBestMiou(@TempDir Path root) throws Exception {
        run(root.resolve("mt"), """
                dataset: {type: fashion-scenes, labeled: 200}
                model: {encoder: {type: unet}}
                loss: {terms: [{type: mean-teacher, weight: 3.0}]}
                train: {iterations: 4000}
                """, """
                {"step":250,"miou":0.10,"seconds":60.0}
                {"step":500,"miou":0.31,"seconds":121.5}
                {"step":750,"miou":0.29,"seconds":125.0}
                {"step":760,"seconds":60.0}
                {"step":760,"lo""", "interrupted: stopped at step 760 of 4000 by a signal");
        run(root.resolve("sup"), """
                dataset: {labeled: 1000}
                model: {encoder: {type: resnet18}}
                train: {iterations: 100}
                """, "{\"step\":100,\"miou\":0.2,\"seconds\":30.0}\n", "completed");
        run(root.resolve("grid/cells/unet_s1"), "model: {encoder: {type: unet}}\n", "", "running"); // no process
        Files.createDirectories(root.resolve("not-a-run"));

        Result r = sslseg("runs", root.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("NAME") && lines.get(0).contains("BEST mIoU"), lines.get(0));
        assertTrue(lines.get(1).matches("grid/cells/unet_s1\\s+supervised\\s+unet\\s+crashed\\s+-\\s+-\\s+-"), lines.get(1));
        assertTrue(lines.get(2).matches("mt\\s+mean-teacher\\s+unet\\s+200\\s+interrupted\\s+760/4000\\s+0\\.3100\\s+3m05s"),
                lines.get(2));
        assertTrue(lines.get(3).matches("sup\\s+supervised\\s+resnet18\\s+1000\\s+done\\s+100/100\\s+0\\.2000\\s+0m30s"),
                lines.get(3));

        Result json = sslseg("runs", root.toString(), "--json");
        List<?> parsed = new ObjectMapper().readValue(json.out(), List.class);
        Map<?, ?> mt = (Map<?, ?>) parsed.get(1);
        assertEquals("mt", mt.get("name"));
        assertEquals(0.31, ((Number) mt.get("best_miou")).doubleValue(), 1e-12);
        assertEquals(760, ((Number) mt.get("steps")).intValue());
        assertEquals(185.0, ((Number) mt.get("seconds")).doubleValue(), 1e-9, "a resumed run's sessions add up");

        Result missing = sslseg("runs", root.resolve("nope").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope: no such folder"), missing.err());
    }

    @Test
    void completionPrintsABashScriptThatKnowsTheCommandsAndOptions(@TempDir Path tmp) throws Exception {
        Result r = sslseg("completion", "bash");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("compare") && r.out().contains("--launcher") && r.out().contains("--resume"), r.out());
        Path script = Files.writeString(tmp.resolve("sslseg.bash"), r.out());
        Process syntax = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        String said = new String(syntax.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(syntax.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, syntax.exitValue(), "bash -n: " + said);

        Result fish = sslseg("completion", "fish");
        assertEquals(1, fish.code());
        assertTrue(fish.err().contains("no script for the shell 'fish'"), fish.err());
    }
}
