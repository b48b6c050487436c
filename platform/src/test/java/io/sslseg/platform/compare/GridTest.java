package io.sslseg.platform.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.platform.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grid files: the product of the axes, each cell's merged config, strict keys; the report's arithmetic. */
class GridTest {
    private static final String GRID = """
            name: g
            base: base.yaml
            set: [train.iterations=7]
            axes:
              - name: encoder
                cells:
                  a: {model: {encoder: {type: enc-a}}}
                  b: {model: {encoder: {type: enc-b, width: 4}}}
              - name: labeled
                key: dataset.labeled
                values: [50, 200]
              - name: seed
                key: seed
                values: [1, 2]
            """;

    private static Grid load(Path tmp, String text) throws Exception {
        Files.writeString(tmp.resolve("base.yaml"), "train:\n  batchSize: 3\n  iterations: 100\n");
        Path f = tmp.resolve("grid.yaml");
        Files.writeString(f, text);
        return Grid.load(f);
    }

    @Test
    void cellsAreTheProductOfTheAxesWithMergedConfigs(@TempDir Path tmp) throws Exception {
        List<Grid.Cell> cells = load(tmp, GRID).cells(new LinkedHashMap<>(Map.of("seed", 42)));
        assertEquals(8, cells.size());
        assertEquals(List.of("a_50_s1", "a_50_s2", "a_200_s1", "a_200_s2", "b_50_s1", "b_50_s2", "b_200_s1", "b_200_s2"),
                cells.stream().map(Grid.Cell::id).toList());
        Map<String, Object> t = cells.get(7).tree();
        assertEquals("b_200_s2", t.get("name"));
        assertEquals(2, t.get("seed"));
        assertEquals(Map.of("labeled", 200), t.get("dataset"));
        assertEquals(Map.of("batchSize", 3, "iterations", 7), t.get("train"), "base, then the shared overrides");
        assertEquals(Map.of("encoder", Map.of("type", "enc-b", "width", 4)), t.get("model"));
        assertEquals("b_200", cells.get(7).group());
    }

    @Test
    void badGridsNameTheProblem(@TempDir Path tmp) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(tmp, GRID + "extra: 1\n"));
        assertTrue(e.getMessage().contains("unknown key 'extra'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load(tmp, "axes:\n  - name: x\n    key: seed\n"));
        assertTrue(e.getMessage().contains("axes[0] (x): give either cells"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load(tmp, "axes:\n  - name: x\n    cells: {'a b': {}}\n"));
        assertTrue(e.getMessage().contains("cell label 'a b'"), e.getMessage());
    }

    @Test
    void aSeedsOnlyGridIsOneGroupWithItsOwnRow(@TempDir Path tmp) throws Exception {
        List<Grid.Cell> cells = load(tmp, "name: g\nbase: base.yaml\naxes:\n  - name: seed\n    key: seed\n"
                + "    values: [1, 2]\n").cells(new LinkedHashMap<>());
        assertEquals(List.of("s1", "s2"), cells.stream().map(Grid.Cell::id).toList());
        List<double[]> none = List.of();
        List<ComparisonReport.Group> groups = ComparisonReport.groups(List.of(
                new CellResult(cells.get(0), 100, 10, 500, 0.30, 0.20, none, none, new double[0]),
                new CellResult(cells.get(1), 100, 20, 700, 0.40, 0.30, none, none, new double[0])));
        assertEquals(1, groups.size());
        String md = ComparisonReport.markdown("g", groups, List.of());
        assertTrue(md.contains("| cells | mIoU |\n|---|---|\n| all | 0.2500 +- 0.0707 |"), md);
        assertTrue(ComparisonReport.csv(groups, List.of()).contains("\nall,2,100,"), ComparisonReport.csv(groups, List.of()));
    }

    @Test
    void groupsAverageSeedsWithTheSampleStd() {
        Grid.Cell s1 = new Grid.Cell("a_s1", Map.of("encoder", "a", "seed", "1"), Map.of());
        Grid.Cell s2 = new Grid.Cell("a_s2", Map.of("encoder", "a", "seed", "2"), Map.of());
        List<double[]> none = List.of();
        List<ComparisonReport.Group> groups = ComparisonReport.groups(List.of(
                new CellResult(s1, 100, 10, 500, 0.30, 0.20, none, none, new double[0]),
                new CellResult(s2, 100, 20, 700, 0.40, 0.30, none, none, new double[0])));
        assertEquals(1, groups.size());
        ComparisonReport.Group g = groups.get(0);
        assertEquals(0.25, g.mean(CellResult::lastMiou), 1e-12);
        assertEquals(Math.sqrt(0.005), g.std(CellResult::lastMiou), 1e-12, "sample std of 0.2 and 0.3");
        String csv = ComparisonReport.csv(groups, List.of());
        assertTrue(csv.contains("a,a,2,100,15.0,600,0.3500,0.0707,0.2500,0.0707,completed"), csv);
        String md = ComparisonReport.markdown("t", groups, List.of());
        assertTrue(md.contains("| a | 0.2500 +- 0.0707 |") && !md.contains("without results"), md);
    }

    @Test
    void cellsWithoutResultsAreListedWithTheirStatusInEveryReport() {
        Grid.Cell a1 = new Grid.Cell("a_s1", Map.of("encoder", "a", "seed", "1"), Map.of());
        Grid.Cell b1 = new Grid.Cell("b_s1", Map.of("encoder", "b", "seed", "1"), Map.of());
        List<double[]> none = List.of();
        List<ComparisonReport.Group> groups = ComparisonReport.groups(List.of(
                new CellResult(a1, 100, 10, 500, 0.30, 0.20, none, none, new double[0])));
        List<ComparisonReport.Unfinished> failed = List.of(new ComparisonReport.Unfinished(b1,
                "crashed: its training process ended with exit code 136 (signal 8), \"SIGFPE\" | <native>"));
        String csv = ComparisonReport.csv(groups, failed);
        assertTrue(csv.endsWith("\nb_s1,b,0,,,,,,,,\"crashed: its training process ended with exit code 136 (signal 8),"
                + " \"\"SIGFPE\"\" | <native>\"\n"), csv);
        String md = ComparisonReport.markdown("t", groups, failed);
        assertTrue(md.contains("**1 cell(s) without results**") && md.contains("| b_s1 | crashed: its training process"
                + " ended with exit code 136 (signal 8), \"SIGFPE\" \\| <native> |"), md);
        String html = ComparisonReport.html("t", groups, failed, List.of(), List.of());
        assertTrue(html.contains("<td>b_s1</td><td>crashed: its training process ended with exit code 136 (signal 8),"
                + " &quot;SIGFPE&quot; | &lt;native&gt;</td>"), html);
        // every cell failed: the reports still say which and why
        assertTrue(ComparisonReport.markdown("t", List.of(), failed).contains("| b_s1 | crashed"));
    }
}
