package io.sslseg.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YAML config files with {@code base:} inheritance, {@code --set} overrides and the merge rule. */
class ConfigTreeTest {
    @TempDir
    Path dir;

    private Path write(String relative, String yaml) throws IOException {
        Path f = dir.resolve(relative);
        Files.createDirectories(f.getParent());
        return Files.writeString(f, yaml);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> tree, String path) {
        Object node = tree;
        for (String k : path.split("\\.")) {
            node = ((Map<String, Object>) node).get(k);
        }
        return node;
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "'" + p + "' not in: " + message);
        }
    }

    // ---- files and base: ----

    @Test
    void aFileLoadsAsNestedMapsWithYamlTypes() throws IOException {
        Path f = write("a.yaml", """
                name: run1
                seed: 42
                train:
                  lr: 0.01
                  flip: true
                  sizes: [1, 2]
                """);
        Map<String, Object> t = ConfigTree.load(f);
        assertEquals(map("name", "run1", "seed", 42, "train", map("lr", 0.01, "flip", true, "sizes", List.of(1, 2))), t);
    }

    @Test
    void anEmptyFileIsAnEmptyConfig() throws IOException {
        assertEquals(Map.of(), ConfigTree.load(write("empty.yaml", "")));
        assertEquals(Map.of(), ConfigTree.load(write("comments.yaml", "# all commented out\n# seed: 3\n")));
        write("p.yaml", "seed: 3\n");
        assertEquals(map("seed", 3), ConfigTree.load(write("c.yaml", "base: p.yaml\n# nothing else yet\n")));
        assertEquals(Map.of(), ConfigTree.fromYaml("# nothing\n"));
    }

    @Test
    void baseChainsResolveRelativeToTheFileThatNamesThem() throws IOException {
        write("shared/grand.yaml", """
                name: grand
                seed: 1
                model:
                  encoder:
                    type: resnet18
                    width: 64
                    outputStride: 16
                """);
        write("shared/parent.yaml", """
                base: grand.yaml
                name: parent
                model:
                  encoder:
                    width: 32
                  decoder:
                    type: cct-main
                """);
        Path child = write("runs/configs/child.yaml", """
                base: ../../shared/parent.yaml
                name: child
                model:
                  encoder:
                    outputStride: 8
                """);
        Map<String, Object> t = ConfigTree.load(child);
        assertEquals("child", t.get("name"));
        assertEquals(1, t.get("seed"));
        assertEquals(map("type", "resnet18", "width", 32, "outputStride", 8), at(t, "model.encoder"));
        assertEquals(map("type", "cct-main"), at(t, "model.decoder"));
        assertNull(t.get("base"), "base: is consumed");
        assertEquals(List.of("name", "seed", "model"), List.copyOf(t.keySet()), "the base's key order is kept");
    }

    @Test
    void aRelativeStartFileWorks() throws IOException {
        write("p.yaml", "seed: 3\n");
        write("c.yaml", "base: p.yaml\nname: c\n");
        Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("c.yaml"));
        assertEquals(map("seed", 3, "name", "c"), ConfigTree.load(relative));
    }

    @Test
    void aBaseCycleIsDetected() throws IOException {
        Path a = write("a.yaml", "base: sub/b.yaml\nname: a\n");
        write("sub/b.yaml", "base: ../a.yaml\nname: b\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigTree.load(a));
        assertMentions(e.getMessage(), a.toString(), "'base' chain loops back", dir.resolve("sub/b.yaml").toString());
    }

    @Test
    void aFileThatIsItsOwnBaseIsACycle() throws IOException {
        Path self = write("self.yaml", "base: ./self.yaml\n");
        assertMentions(assertThrows(ConfigException.class, () -> ConfigTree.load(self)).getMessage(),
                self.toString(), "loops back");
    }

    @Test
    void aMissingBaseNamesTheMissingFile() throws IOException {
        Path f = write("c.yaml", "base: nowhere.yaml\n");
        assertEquals(dir.resolve("nowhere.yaml") + ": no such config file",
                assertThrows(ConfigException.class, () -> ConfigTree.load(f)).getMessage());
        assertEquals(dir.resolve("absent.yaml") + ": no such config file",
                assertThrows(ConfigException.class, () -> ConfigTree.load(dir.resolve("absent.yaml"))).getMessage());
    }

    @Test
    void aBaseThatIsNotAFileNameIsAnError() throws IOException {
        Path f = write("c.yaml", "base: [a.yaml, b.yaml]\n");
        assertMentions(assertThrows(ConfigException.class, () -> ConfigTree.load(f)).getMessage(),
                f.toString(), "base: must be a file name");
    }

    @Test
    void badYamlNamesTheFileAndTheLine() throws IOException {
        Path f = write("bad.yaml", """
                name: x
                train:
                  lr: 0.1
                  sizes: [1, 2
                seed: 3
                """);
        String m = assertThrows(ConfigException.class, () -> ConfigTree.load(f)).getMessage();
        assertEquals(f + ": not valid YAML: while parsing a flow sequence; expected ',' or ']', but got : (line 5)", m);
        assertEquals(1, m.lines().count(), "the CLI prints one line");
    }

    @Test
    void aKeyWrittenTwiceIsAnErrorNotASilentOverwrite() throws IOException {
        Path f = write("dup.yaml", """
                train:
                  iterations: 100
                seed: 1
                train:
                  batchSize: 4
                """);
        assertEquals(f + ": not valid YAML: Duplicate field 'train' (line 4)",
                assertThrows(ConfigException.class, () -> ConfigTree.load(f)).getMessage());
    }

    @Test
    void badIndentationNamesTheLine() throws IOException {
        Path f = write("indent.yaml", "a:\n  b: 1\n c: 2\n");
        String m = assertThrows(ConfigException.class, () -> ConfigTree.load(f)).getMessage();
        assertMentions(m, f.toString(), "not valid YAML", "(line 3)");
        assertEquals(1, m.lines().count(), m);
    }

    @Test
    void aTopLevelListIsNotAConfig() throws IOException {
        Path f = write("list.yaml", "- a\n- b\n");
        assertEquals(f + ": a config must be a YAML mapping at the top level",
                assertThrows(ConfigException.class, () -> ConfigTree.load(f)).getMessage());
    }

    // ---- the merge rule ----

    @Test
    void aComponentWhoseTypeChangesIsReplacedWhole() throws IOException {
        write("p.yaml", """
                model:
                  encoder:
                    type: resnet18
                    width: 32
                    outputStride: 8
                  decoder:
                    type: cct-main
                    width: 128
                """);
        Path c = write("c.yaml", """
                base: p.yaml
                model:
                  encoder:
                    type: mobilenet
                    alpha: 0.5
                  decoder:
                    type: cct-main
                    width: 64
                """);
        Map<String, Object> t = ConfigTree.load(c);
        assertEquals(map("type", "mobilenet", "alpha", 0.5), at(t, "model.encoder"), "old params dropped");
        assertEquals(map("type", "cct-main", "width", 64), at(t, "model.decoder"), "same type: merged");
    }

    @Test
    void deepMergeLeavesItsInputsAlone() {
        Map<String, Object> base = map("a", map("x", 1, "y", 2));
        Map<String, Object> over = map("a", map("y", 3), "b", List.of(1));
        Map<String, Object> merged = ConfigTree.mergeMaps(base, over);
        assertEquals(map("a", map("x", 1, "y", 3), "b", List.of(1)), merged);
        assertEquals(map("a", map("x", 1, "y", 2)), base);
        assertEquals(map("a", map("y", 3), "b", List.of(1)), over);
        assertEquals(map("a", 5), ConfigTree.mergeMaps(base, map("a", 5)), "a value replaces a section");
    }

    // ---- --set ----

    @Test
    void setReadsValuesAsYamlScalars() {
        Map<String, Object> t = new LinkedHashMap<>();
        ConfigTree.set(t, "seed=7");
        ConfigTree.set(t, "lr=0.05");
        ConfigTree.set(t, "neg=-3");
        ConfigTree.set(t, "flip=true");
        ConfigTree.set(t, "off=false");
        ConfigTree.set(t, "name=run-2");
        ConfigTree.set(t, "sizes=[1, 2, 3]");
        ConfigTree.set(t, "quoted='42'");
        ConfigTree.set(t, "empty=");
        ConfigTree.set(t, "expr=a=b");
        assertEquals(map("seed", 7, "lr", 0.05, "neg", -3, "flip", true, "off", false, "name", "run-2",
                "sizes", List.of(1, 2, 3), "quoted", "42", "empty", "", "expr", "a=b"), t);
    }

    @Test
    void setWalksNestedKeysAndCreatesMissingSections() {
        Map<String, Object> t = map("train", map("optimizer", map("type", "sgd", "lr", 0.1)));
        ConfigTree.set(t, "train.optimizer.lr=0.02");
        ConfigTree.set(t, "train.augment.crop=64");
        ConfigTree.set(t, "runtime.device=cpu");
        assertEquals(map("type", "sgd", "lr", 0.02), at(t, "train.optimizer"));
        assertEquals(map("crop", 64), at(t, "train.augment"));
        assertEquals(map("device", "cpu"), at(t, "runtime"));
    }

    @Test
    void setThroughAValueIsAnErrorNamingTheValue() {
        Map<String, Object> t = map("model", map("encoder", map("type", "resnet18", "width", 32)));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigTree.set(t, "model.encoder.width.x=1"));
        assertEquals("--set model.encoder.width.x: 'model.encoder.width' is a value, not a section", e.getMessage());
        assertEquals(32, at(t, "model.encoder.width"), "nothing changed");
    }

    @Test
    void setWithoutAnAssignmentIsAnError() {
        Map<String, Object> t = new LinkedHashMap<>();
        assertEquals("--set model.encoder.width: expected key.path=value",
                assertThrows(ConfigException.class, () -> ConfigTree.set(t, "model.encoder.width")).getMessage());
        assertEquals("--set =3: expected key.path=value",
                assertThrows(ConfigException.class, () -> ConfigTree.set(t, "=3")).getMessage());
    }

    @Test
    void setOfAWholeBlockWithAnotherTypeReplacesTheBlock() {
        Map<String, Object> t = map("model", map("encoder", map("type", "resnet18", "width", 32)));
        ConfigTree.set(t, "model.encoder={type: mobilenet, alpha: 0.5}");
        assertEquals(map("type", "mobilenet", "alpha", 0.5), at(t, "model.encoder"));
        ConfigTree.set(t, "model.encoder={alpha: 0.25}");
        assertEquals(map("type", "mobilenet", "alpha", 0.25), at(t, "model.encoder"), "same type: merged");
    }

    @Test
    void setOfTheTypeKeySwitchesTheComponentAndNamesTheDroppedKeys() {
        // the old type's parameters mean nothing to the new one (unet's levels to resnet18): dropped, and named
        Map<String, Object> t = map("model", map("encoder", map("type", "unet", "width", 32, "levels", 4)));
        String note = ConfigTree.set(t, "model.encoder.type=resnet18");
        assertEquals(map("type", "resnet18"), at(t, "model.encoder"));
        assertEquals("--set model.encoder.type=resnet18 switches the component from unet: its parameters width, levels"
                + " are dropped (the new type starts from its defaults; set any of them again if it takes them)", note);
        assertEquals("", ConfigTree.set(t, "model.encoder.type=resnet18"), "the same type: nothing switched");
        assertEquals("", ConfigTree.set(t, "model.encoder.width=16"));
        assertEquals(map("type", "resnet18", "width", 16), at(t, "model.encoder"));
    }

    @Test
    void setAfterLoadOverridesTheFile() throws IOException {
        write("p.yaml", "train:\n  iterations: 100\n  batchSize: 8\n");
        Map<String, Object> t = ConfigTree.load(write("c.yaml", "base: p.yaml\ntrain:\n  batchSize: 4\n"));
        ConfigTree.set(t, "train.iterations=5");
        assertEquals(map("iterations", 5, "batchSize", 4), at(t, "train"));
    }

    @Test
    void yamlRoundTrips() {
        Map<String, Object> t = map("name", "r", "model", map("encoder", map("type", "resnet18", "width", 32)),
                "sizes", List.of(1, 2), "lr", 0.001, "flip", true);
        assertEquals(t, ConfigTree.fromYaml(ConfigTree.toYaml(t)));
        assertMentions(assertThrows(ConfigException.class, () -> ConfigTree.fromYaml("a: [1,\n")).getMessage(),
                "not valid YAML");
    }

    /** The one-line form reads back as the same tree, as a value given to --set would. */
    @Test
    void flowYamlIsOneLineAndReadsBack() {
        Object strong = List.of(map("type", "blur"), map("type", "cutmix", "probability", 0.5, "name", "a: b"));
        String flow = ConfigTree.toFlowYaml(strong);
        assertFalse(flow.contains("\n"), flow);
        assertEquals(map("x", strong), ConfigTree.fromYaml("x: " + flow));
        assertEquals("[]", ConfigTree.toFlowYaml(List.of()));
        assertEquals("0.95", ConfigTree.toFlowYaml(0.95));
    }

    @Test
    void mergeAtFollowsKeysAndIndexesKeepsOtherKeysAndLeavesAMissingPathAlone() {
        Map<String, Object> tree = ConfigTree.fromYaml("loss: {terms: [{type: a, parts: [{type: p}, {type: q, count: 2}]}]}");
        assertTrue(ConfigTree.mergeAt(tree, "loss.terms[0].parts[1]", Map.of("type", "q")));
        assertTrue(ConfigTree.mergeAt(tree, "loss.terms[0].parts[1].count", 3));
        assertEquals("{loss: {terms: [{type: a, parts: [{type: p}, {type: q, count: 3}]}]}}", ConfigTree.toFlowYaml(tree));
        for (String missing : List.of("loss.terms[1]", "loss.other", "loss.terms[0].parts[2]", "x.y")) {
            assertFalse(ConfigTree.mergeAt(tree, missing, 1), missing);
        }
        assertEquals("{loss: {terms: [{type: a, parts: [{type: p}, {type: q, count: 3}]}]}}", ConfigTree.toFlowYaml(tree));
    }

    @Test
    void onlyASmallRegularFileIsReadAsAConfig() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("folder.yaml"));
        Path big = dir.resolve("big.yaml");
        Files.write(big, new byte[(int) ConfigTree.MAX_BYTES + 1]);
        Path fifo = dir.resolve("fifo.yaml");
        boolean madeFifo = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        for (Path bad : madeFifo ? List.of(Path.of("/dev/zero"), folder, big, fifo) : List.of(Path.of("/dev/zero"), folder, big)) {
            var e = assertThrows(ConfigException.class, () -> ConfigTree.load(bad), bad.toString());
            assertTrue(e.getMessage().startsWith(bad.toAbsolutePath().normalize().toString()), e.getMessage());
        }
        var missing = assertThrows(ConfigException.class, () -> ConfigTree.load(dir.resolve("none.yaml")));
        assertTrue(missing.getMessage().contains("no such config file"), missing.getMessage());
    }
}
