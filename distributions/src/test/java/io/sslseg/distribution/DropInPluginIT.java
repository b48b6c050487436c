package io.sslseg.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.platform.report.HtmlPage;
import io.sslseg.testkit.HeadlessBrowser;
import io.sslseg.testkit.PluginJarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new encoder written as a plugin, compiled and jarred here against the plugin API alone, dropped next to
 * the distribution's plugins: it is listed and trains, with nothing of sslseg rebuilt.
 */
class DropInPluginIT {
    private static final String ENCODER = """
            package org.example.enc;

            import ai.djl.nn.Block;
            import ai.djl.nn.SequentialBlock;
            import io.sslseg.api.model.*;
            import io.sslseg.api.nn.Layers;
            import java.util.List;

            public final class StridedCnn implements EncoderFactory<StridedCnn.Params> {
                public record Params(int width) {
                    public Params {
                        if (width < 1) throw new IllegalArgumentException("width must be >= 1");
                    }
                }
                public Class<Params> paramsType() { return Params.class; }
                public Params defaults() { return new Params(16); }
                public String summary() { return "three strided 3x3 convs (a drop-in example)"; }
                public Encoder create(Params p, EncoderContext ctx) {
                    Block b = new SequentialBlock()
                        .add(Layers.conv2d(p.width(), 3, 2, 1, false)).add(Layers.batchNorm()).add(Layers.relu())
                        .add(Layers.conv2d(2 * p.width(), 3, 2, 1, false)).add(Layers.batchNorm()).add(Layers.relu())
                        .add(Layers.conv2d(4 * p.width(), 3, 2, 1, false)).add(Layers.batchNorm()).add(Layers.relu());
                    FeatureInfo info = new FeatureInfo(List.of(new FeatureInfo.Stage("out", 4 * p.width(), 8)));
                    return new Encoder() {
                        public Block block() { return b; }
                        public FeatureInfo features() { return info; }
                    };
                }
            }
            """;

    /** A copy of the distribution's plugins/ plus the example encoder, built here from the sources above. */
    static Path pluginsWithExample(Path work) throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        try (Stream<Path> jars = Files.list(Sslseg.HOME.resolve("plugins"))) {
            for (Path j : jars.toList()) {
                Files.copy(j, plugins.resolve(j.getFileName()));
            }
        }
        PluginJarBuilder.plugin("example-encoder")
                .java("org.example.enc.StridedCnn", ENCODER)
                .java("org.example.enc.ExampleModule", PluginJarBuilder.moduleSource("org.example.enc.ExampleModule",
                        "io.sslseg.api.Components.register(binder(), io.sslseg.api.Components.ENCODER, \"strided-cnn\")"
                                + ".toInstance(new StridedCnn());"))
                .build(plugins);
        return plugins;
    }

    @Test
    void aNewEncoderJarIsPickedUpWithoutRebuilding(@TempDir Path work) throws Exception {
        Path plugins = pluginsWithExample(work);
        Sslseg.Result list = Sslseg.run(work, work, "plugins", "list", "--plugins", plugins.toString());
        assertEquals(0, list.exitCode(), list.all());
        assertTrue(list.out().contains("strided-cnn") && list.out().contains("example-encoder"), list.out());

        Sslseg.Result train = Sslseg.run(work, work, "train", "--plugins", plugins.toString(),
                "--config", CliEndToEndIT.config("smoke.yaml"), "--set", "model.encoder={type: strided-cnn, width: 8}",
                "--set", "train.iterations=6", "--set", "train.evalEvery=6", "--set", "dataset.val=32",
                "--run-dir", "runs/dropin");
        assertEquals(0, train.exitCode(), train.all());
        assertTrue(Files.readString(work.resolve("runs/dropin/plugins.lock")).contains("example-encoder"));
    }

    private static final String GRID = """
            name: dropin
            base: %s
            set: [train.iterations=4, train.evalEvery=4, train.checkpointEvery=2, dataset.val=16, train.batchSize=4,
                  eval.batchSize=16, runtime.threads=1]
            axes:
              - name: encoder
                cells:
                  resnet18: {model: {encoder: {type: resnet18, width: 16, lightStem: true}}}  # 8 meets a oneDNN fault: ResNetContractTest
                  strided: {model: {encoder: {type: strided-cnn, width: 8}}}
              - name: labeled
                key: dataset.labeled
                values: [50]
              - name: seed
                key: seed
                values: [1, 2]
            """;

    /**
     * {@code sslseg compare} over the shipped ResNet and the dropped-in encoder: four cells, a comparison with
     * one row per encoder, a report that opens offline; rerun after a cell is lost, only that cell trains.
     */
    @Test
    void compareRunsAGridWithTheDroppedInEncoderAndResumes(@TempDir Path work) throws Exception {
        Path plugins = pluginsWithExample(work);
        Path grid = work.resolve("grid.yaml");
        Files.writeString(grid, GRID.formatted(CliEndToEndIT.config("smoke.yaml")));
        Sslseg.Result r = Sslseg.run(work, work, "compare", "--plugins", plugins.toString(), "--grid", grid.toString(),
                "--out", "runs/cmp");
        assertEquals(0, r.exitCode(), r.all());
        Path out = work.resolve("runs/cmp");
        String md = Files.readString(out.resolve("comparison.md"));
        assertTrue(md.contains("| resnet18 |") && md.contains("| strided |") && md.contains(" +- "), md);
        List<String> csv = Files.readAllLines(out.resolve("comparison.csv"));
        assertEquals(3, csv.size(), "a header and one row per encoder (seeds averaged): " + csv);
        assertTrue(csv.get(0).startsWith("cell,encoder,labeled,seeds,parameters,step_ms,peak_rss_mb"), csv.get(0));
        assertTrue(csv.get(2).startsWith("strided_50,strided,50,2,"), csv.get(2));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("data:image/png;base64,") && !html.contains("http"),
                "curves and overlays inline, nothing fetched");
        HeadlessBrowser.render(out.resolve("report.html"), 1000, 1200).assertRenderedCleanly(HtmlPage.READY_ATTRIBUTE);

        // as if the grid had been killed during the last cell: the rerun resumes that cell, keeps the other three
        Files.delete(out.resolve("cells/strided_50_s2/summary.json"));
        Files.writeString(out.resolve("cells/strided_50_s2/status"), "failed: interrupted\n");
        Sslseg.Result again = Sslseg.run(work, work, "compare", "--plugins", plugins.toString(), "--grid",
                grid.toString(), "--out", "runs/cmp");
        assertEquals(0, again.exitCode(), again.all());
        assertEquals(3, again.out().split("done before, skipped", -1).length - 1, again.out());
        assertTrue(again.out().contains("cell 1/1 strided_50_s2: resuming"), again.out()); // the one cell left to run

        // the grid edited: the changed cells' old results are never reused; refused, or trained again on request
        Files.writeString(grid, GRID.formatted(CliEndToEndIT.config("smoke.yaml"))
                .replace("strided-cnn, width: 8}}}", "strided-cnn, width: 8}}, train: {optimizer: {lr: 0.002}}}"));
        Sslseg.Result edited = Sslseg.run(work, work, "compare", "--plugins", plugins.toString(), "--grid",
                grid.toString(), "--out", "runs/cmp");
        assertEquals(1, edited.exitCode(), edited.all());
        assertTrue(edited.err().contains("2 grid cell(s) ran with a config other than the grid's now")
                && edited.err().contains("strided_50_s1: train.optimizer.lr: 0.001 -> 0.002")
                && !edited.err().contains("resnet18_50_s1") && edited.err().contains("--rerun-changed"), edited.err());
        Sslseg.Result rerun = Sslseg.run(work, work, "compare", "--plugins", plugins.toString(), "--grid",
                grid.toString(), "--out", "runs/cmp", "--rerun-changed");
        assertEquals(0, rerun.exitCode(), rerun.all());
        assertEquals(2, rerun.out().split("done before, skipped", -1).length - 1, rerun.out());
        assertTrue(Files.isDirectory(out.resolve("cells/strided_50_s1.replaced-1")), "the old results are kept aside");
        assertTrue(Files.readString(out.resolve("cells/strided_50_s1/config.yaml")).contains("lr: 0.002"));
    }
}
