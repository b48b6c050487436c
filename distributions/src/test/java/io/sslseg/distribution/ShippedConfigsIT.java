package io.sslseg.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every config and grid the distribution ships resolves against its plugins and builds (`sslseg check`): a key renamed
 * in code cannot leave a shipped config broken unseen. A broken one fails naming the file and the key.
 */
class ShippedConfigsIT {
    /** `plugins describe` gives every parameter of every shipped component a line saying what it means. */
    @Test
    void everyShippedComponentParameterIsDescribed(@TempDir Path work) throws Exception {
        Sslseg.Result list = Sslseg.run(work, work, "plugins", "list");
        List<String> names = list.out().lines().filter(l -> l.matches("  [a-z0-9-]+ +\\[.*")).map(l -> l.strip().split(" +")[0])
                .distinct().toList();
        assertTrue(names.size() > 40, list.out());
        List<String> args = new ArrayList<>(List.of("plugins", "describe"));
        args.addAll(names);
        Sslseg.Result d = Sslseg.run(work, work, args.toArray(String[]::new));
        assertEquals(0, d.exitCode(), d.all());
        List<String> lines = d.out().lines().toList();
        List<String> undocumented = new ArrayList<>();
        String component = "";
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith(" ")) {
                component = lines.get(i);
            }
            boolean parameter = lines.get(i).matches("    [A-Za-z]+ \\(.*, default .*\\)");
            if (parameter && (i + 1 == lines.size() || !lines.get(i + 1).startsWith("        "))) {
                undocumented.add(component + ": " + lines.get(i).strip());
            }
        }
        assertTrue(d.out().contains("        channels of the full-resolution level"), d.out());
        assertTrue(undocumented.isEmpty(), "parameters without a meaning:\n" + String.join("\n", undocumented));
    }

    @Test
    void everyShippedConfigAndGridBuilds(@TempDir Path work) throws Exception {
        List<String> args = new ArrayList<>(List.of("check"));
        try (Stream<Path> configs = Files.list(Sslseg.HOME.resolve("configs"))) {
            configs.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> args.add(p.toString()));
        }
        assertTrue(args.size() > 15, "the shipped configs: " + args);
        Sslseg.Result r = Sslseg.run(work, work, args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(args.size() - 1, r.out().lines().filter(l -> l.contains(".yaml: ok (")).count(), r.out());
        assertTrue(r.out().contains("compare-encoders.yaml: ok (a grid of 12 cells, each built)"), r.out());

        Path bad = Files.writeString(work.resolve("bad.yaml"), "base: " + Sslseg.HOME.resolve("configs/supervised.yaml")
                + "\nmodel:\n  encoder:\n    type: unet\n    widht: 16\n");
        Sslseg.Result refused = Sslseg.run(work, work, "check", Sslseg.HOME.resolve("configs/smoke.yaml").toString(),
                bad.toString());
        assertEquals(1, refused.exitCode(), refused.all());
        assertTrue(refused.out().contains("smoke.yaml: ok ("), refused.out());
        assertTrue(refused.out().contains(bad + ": ") && refused.out().contains("widht"), refused.out());
        assertTrue(refused.err().contains("1 of 2 files failed the check"), refused.err());
    }
}
