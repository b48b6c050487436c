package io.sslseg.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.platform.testkit.PluginJarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void aNewEncoderJarIsPickedUpWithoutRebuilding(@TempDir Path work) throws Exception {
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

        Sslseg.Result list = Sslseg.run(work, work, "plugins", "list", "--plugins", plugins.toString());
        assertEquals(0, list.exitCode(), list.all());
        assertTrue(list.out().contains("strided-cnn") && list.out().contains("example-encoder"), list.out());

        Sslseg.Result train = Sslseg.run(work, work, "train", "--plugins", plugins.toString(),
                "--config", CliEndToEndIT.config("smoke.yaml"), "--set", "model.encoder={type: strided-cnn, width: 8}",
                "--set", "model.decoder.skipStride=0", // the example publishes one stage only
                "--set", "train.iterations=6", "--set", "train.evalEvery=6", "--set", "dataset.val=32",
                "--run-dir", "runs/dropin");
        assertEquals(0, train.exitCode(), train.all());
        assertTrue(Files.readString(work.resolve("runs/dropin/plugins.lock")).contains("example-encoder"));
    }
}
