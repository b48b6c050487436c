package io.sslseg.platform.config;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sslseg.api.SslsegException;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.train.Experiment;
import io.sslseg.testkit.TestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configs damaged at random (characters dropped, inserted or replaced, lines swapped or cut, values turned into other
 * types): each either resolves to a checked experiment or fails with one {@link SslsegException} that names the file
 * or the key, never with another exception.
 */
class ConfigFuzzTest {
    private static final int CASES = 300;
    private static final String GOOD = """
            name: fuzz
            seed: 3
            dataset:
              type: synthetic
              labeled: 16
              val: 8
            model:
              encoder: {type: tiny-cnn, width: 8}
              decoder: {type: tiny-head}
            loss:
              supervised: {type: ce}
              terms: [{type: counting}]
            train:
              iterations: 10
              batchSize: 4
              optimizer: {type: adamw, lr: 0.01}
              augment: {crop: 32, scaleMin: 1.0, scaleMax: 1.0}
            eval: {batchSize: 4, model: student}
            runtime: {threads: 1, device: cpu}
            """;
    private static final String[] ODD_VALUES = {"-1", "0", "1e400", "NaN", ".inf", "''", "[]", "{}", "null", "~", "yes",
        "\"\\u0000\"", "[1, [2, [3]]]", "{type: nope}", "99999999999999999999", "*anchor", "!!binary AAAA", "|\n  x"};

    @Test
    void damagedConfigsFailNamingTheFileOrKeyNeverWithAnotherException(@TempDir Path tmp) throws Exception {
        ComponentCatalog catalog = TestPlatform.catalog();
        Random random = new Random(4122026);
        Path file = tmp.resolve("fuzz.yaml");
        int refused = 0;
        for (int c = 0; c < CASES; c++) {
            String text = mutate(GOOD, random);
            Files.writeString(file, text);
            try {
                Experiment e = Experiment.resolve(Experiment.loadTree(catalog.binder(), file, List.of()), catalog, tmp);
                e.resolvedYaml();
            } catch (SslsegException e) {
                String m = e.getMessage();
                assertTrue(m != null && !m.isBlank() && !m.contains("\n\tat "), "case " + c + ": " + m);
                refused++;
            } catch (RuntimeException | Error e) {
                fail("case " + c + " threw " + e + " for:\n" + text, e);
            }
        }
        assertTrue(refused > CASES / 4, "most damage is caught: " + refused + " of " + CASES);
    }

    private static String mutate(String good, Random random) {
        List<String> lines = new ArrayList<>(Arrays.asList(good.split("\n")));
        switch (random.nextInt(5)) {
            case 0 -> { // a value replaced by an odd one
                int i = random.nextInt(lines.size());
                int colon = lines.get(i).indexOf(": ");
                if (colon > 0) {
                    lines.set(i, lines.get(i).substring(0, colon + 2) + ODD_VALUES[random.nextInt(ODD_VALUES.length)]);
                }
            }
            case 1 -> java.util.Collections.swap(lines, random.nextInt(lines.size()), random.nextInt(lines.size()));
            case 2 -> lines.remove(random.nextInt(lines.size()));
            default -> {
                StringBuilder sb = new StringBuilder(String.join("\n", lines));
                for (int n = 1 + random.nextInt(3); n > 0 && sb.length() > 0; n--) {
                    int at = random.nextInt(sb.length());
                    String chars = "{}[]:,-'\"#&*!|> \t\nx0.";
                    char ch = chars.charAt(random.nextInt(chars.length()));
                    switch (random.nextInt(3)) {
                        case 0 -> sb.deleteCharAt(at);
                        case 1 -> sb.insert(at, ch);
                        default -> sb.setCharAt(at, ch);
                    }
                }
                return sb.toString();
            }
        }
        return String.join("\n", lines) + "\n";
    }
}
