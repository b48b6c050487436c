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
