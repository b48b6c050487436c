package io.sslseg.platform.cli;

import io.sslseg.api.Components;
import io.sslseg.api.Progress;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.DatasetContext;
import io.sslseg.api.data.SegDataset;
import io.sslseg.api.data.Validatable;
import io.sslseg.api.data.ValidationReport;
import io.sslseg.api.data.VocExportable;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.console.ConsoleProgress;
import io.sslseg.platform.plugins.ComponentCatalog;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code sslseg data generate | validate}: datasets on disk. Needs no engine: plain Java all through. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Write and check datasets on disk.",
        subcommands = {DataCommand.Generate.class, DataCommand.Validate.class})
public final class DataCommand {
    @ParentCommand
    SslsegCli cli;

    /** The {@code --set KEY=VALUE} dataset parameters, shared by the data commands. */
    static final class DatasetSettings {
        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "A dataset parameter (the value is read as YAML), e.g. labeled=100 or source=embedded.")
        List<String> settings = new ArrayList<>();

        /** The dataset block as a config would hold it: {@code type} plus the settings. */
        Map<String, Object> block(String type) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("type", type);
            for (String s : settings) {
                ConfigTree.set(block, s);
            }
            return block;
        }
    }

    static SegDataset build(ComponentCatalog catalog, Map<String, Object> block) {
        return catalog.build(Components.DATASET, block, "dataset", new DatasetContext(SslsegCli.cacheDir()));
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write a generated dataset as a VOCdevkit-shaped folder (images, palette masks, tag XML, lists).")
    public static final class Generate implements Callable<Integer> {
        @ParentCommand
        DataCommand parent;

        @Parameters(paramLabel = "NAME", description = "Dataset component, e.g. fashion-scenes.")
        String name;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to create (must not exist or be empty).")
        Path out;

        @Option(names = "--train", paramLabel = "N", description = "Training pool size (the dataset's 'train').")
        Integer train;

        @Option(names = "--val", paramLabel = "N", description = "Validation scenes (the dataset's 'val').")
        Integer val;

        @Option(names = "--seed", paramLabel = "S", description = "Base seed (the dataset's 'seed').")
        Long seed;

        @Option(names = "--size", paramLabel = "PX", description = "Image side in pixels (the dataset's 'size').")
        Integer size;

        @Mixin
        DatasetSettings settings;

        @Override
        public Integer call() {
            SslsegCli cli = parent.cli;
            return run(cli.plugins().catalog(), cli.out, new ConsoleProgress(cli.err));
        }

        public int run(ComponentCatalog catalog, PrintStream stdout, Progress progress) {
            Map<String, Object> block = settings.block(name);
            putIfGiven(block, "train", train);
            putIfGiven(block, "val", val);
            putIfGiven(block, "seed", seed);
            putIfGiven(block, "size", size);
            fitLabeledToPool(catalog, block);
            SegDataset dataset = build(catalog, block);
            if (!(dataset instanceof VocExportable exportable)) {
                throw new SslsegException("dataset '" + name + "' cannot write itself to disk (it is not VocExportable);"
                        + " generate works with generated datasets such as fashion-scenes");
            }
            long t0 = System.nanoTime();
            exportable.exportVoc(out, progress);
            double seconds = (System.nanoTime() - t0) / 1e9;
            stdout.printf("wrote %s in %.1f s%n", out.toAbsolutePath().normalize(), seconds);
            stdout.println("dataset: " + dataset.info().identity());
            return 0;
        }

        private static void putIfGiven(Map<String, Object> block, String key, Object value) {
            if (value != null) {
                block.put(key, value);
            }
        }

        /**
         * The export writes every labelled subset that fits the pool, so the dataset's own {@code labeled}
         * only matters for a run; a default larger than a smaller {@code --train} would be refused, so it is
         * capped at the pool size unless set explicitly.
         */
        private static void fitLabeledToPool(ComponentCatalog catalog, Map<String, Object> block) {
            if (!(block.get("train") instanceof Integer pool) || block.containsKey("labeled")) {
                return;
            }
            Object defaults = catalog.find(Components.DATASET, (String) block.get("type"), "dataset").factory().defaults();
            if (catalog.binder().toMap(defaults).get("labeled") instanceof Integer labeled && labeled > pool) {
                block.put("labeled", pool);
            }
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Scan a dataset: counts, class histogram, broken or missing files, bad lists. Exit 0 only when usable.")
    public static final class Validate implements Callable<Integer> {
        @ParentCommand
        DataCommand parent;

        @Parameters(paramLabel = "DIR", description = "The dataset folder (for voc: VOC2012 itself or the folder holding VOCdevkit/).")
        Path dir;

        @Option(names = "--type", defaultValue = "voc", paramLabel = "NAME",
                description = "Dataset component that reads DIR (default: ${DEFAULT-VALUE}).")
        String type;

        @Mixin
        DatasetSettings settings;

        @Override
        public Integer call() {
            SslsegCli cli = parent.cli;
            return run(cli.plugins().catalog(), cli.out, new ConsoleProgress(cli.err));
        }

        public int run(ComponentCatalog catalog, PrintStream stdout, Progress progress) {
            Map<String, Object> block = settings.block(type);
            block.putIfAbsent("root", dir.toString());
            SegDataset dataset = build(catalog, block);
            if (!(dataset instanceof Validatable validatable)) {
                throw new SslsegException("dataset '" + type + "' has no validation (it is not Validatable)");
            }
            ValidationReport report = validatable.validate(progress);
            report.summary().forEach(stdout::println);
            report.warnings().forEach(w -> stdout.println("warning: " + w));
            report.errors().forEach(e -> stdout.println("error: " + e));
            stdout.println(report.usable()
                    ? "dataset is usable (" + report.warnings().size() + " warnings)"
                    : "dataset is NOT usable: " + report.errors().size() + " errors");
            return report.usable() ? 0 : SslsegCli.EXIT_FAILED;
        }
    }
}
