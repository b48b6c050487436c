package io.sslseg.platform.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.Split;
import io.sslseg.platform.compare.CellResult;
import io.sslseg.platform.compare.ComparisonReport;
import io.sslseg.platform.compare.Grid;
import io.sslseg.platform.compare.GridRunner;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.data.Batch;
import io.sslseg.platform.data.BatchStream;
import io.sslseg.platform.eval.Evaluator;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.platform.train.Checkpoint;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.RunConfig;
import io.sslseg.platform.train.SegmentationNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Run a grid of experiments (encoders x methods x labelled counts x seeds), each cell a normal",
            "run folder under OUT/cells/, and write OUT/comparison.md, comparison.csv and report.html.",
            "Rerunning the same command continues an interrupted grid: finished cells are kept, a",
            "half-finished one resumes from its checkpoint."})
final class CompareCommand implements Callable<Integer> {
    /** Val images shown per cell group in the report. */
    static final int OVERLAYS = 3;

    @ParentCommand
    SslsegCli cli;

    @Option(names = "--grid", paramLabel = "FILE", required = true, description = "The grid (YAML): base config, shared"
            + " overrides, axes.")
    Path gridFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/compare-<grid name>).")
    Path out;

    @Override
    public Integer call() {
        Grid grid = Grid.load(gridFile);
        Path dir = out != null ? out : Path.of("runs", "compare-" + grid.name());
        List<Grid.Cell> cells = grid.cells(cli.binder().toMap(RunConfig.defaults()));
        RunConfig first = Experiment.bindRunConfig(cli.binder(), cells.get(0).tree());
        cli.startEngine(first.runtime().threads());
        // every cell resolved before any trains: a typo in the last cell must not surface hours later
        for (Grid.Cell c : cells) {
            try {
                Experiment.resolve(c.tree(), cli.plugins().catalog(), SslsegCli.cacheDir());
            } catch (SslsegException e) {
                throw new SslsegException("grid cell " + c.id() + ": " + e.getMessage());
            }
        }
        cli.out.println("grid " + grid.name() + ": " + cells.size() + " cells -> " + dir);
        GridRunner runner = new GridRunner(dir, cli.pluginsFolder(), cli.out);
        Map<String, GridRunner.Outcome> outcomes = runner.run(cells);

        List<CellResult> results = new ArrayList<>();
        for (Grid.Cell c : cells) {
            if (GridRunner.isComplete(runner.cellDir(c))) {
                results.add(CellResult.read(c, runner.cellDir(c)));
            }
        }
        List<ComparisonReport.Group> groups = ComparisonReport.groups(results);
        List<ComparisonReport.Overlay> overlays = new ArrayList<>();
        List<String> classNames = List.of();
        for (ComparisonReport.Group g : groups) {
            Path cellDir = runner.cellDir(g.seeds().get(0).cell());
            Experiment e = Experiment.resolve(ConfigTree.fromYaml(RunFolder.open(cellDir).readConfig()),
                    cli.plugins().catalog(), SslsegCli.cacheDir());
            classNames = e.data().info().classNames();
            overlays.add(overlay(g.id(), e, cellDir));
        }
        ComparisonReport.write(dir, "sslseg comparison: " + grid.name(), groups, classNames, overlays);
        long failed = outcomes.values().stream().filter(o -> o == GridRunner.Outcome.FAILED).count();
        cli.out.println();
        cli.out.print(ComparisonReport.markdown("sslseg comparison: " + grid.name(), groups)); // the table, here too
        cli.out.println();
        cli.out.println("comparison: " + dir.resolve("comparison.md") + ", " + dir.resolve("report.html"));
        if (failed > 0) {
            throw new SslsegException(failed + " of " + cells.size() + " cells failed; the comparison covers the others."
                    + " Rerun the same command to retry them");
        }
        return 0;
    }

    /** The first val images through the cell's best checkpoint (one at a time: VOC images differ in size). */
    private static ComparisonReport.Overlay overlay(String group, Experiment e, Path cellDir) {
        Device device = Device.cpu();
        List<ComparisonReport.Shown> shown = new ArrayList<>();
        try (NDManager root = NDManager.newBaseManager(device, "PyTorch");
                BatchStream val = BatchStream.eval(e.data().split(Split.VAL), 1, BatchStream.Prefetch.NONE)) {
            SegmentationNet net = e.buildNet(root, device);
            Path ckpt = cellDir.resolve(RunFolder.CHECKPOINTS).resolve(Checkpoint.BEST);
            Checkpoint.load(Files.exists(ckpt) ? ckpt : ckpt.resolveSibling(Checkpoint.LATEST), root, List.of(net), null);
            Evaluator evaluator = new Evaluator(net, net.outputStride(), e.numClasses(), device);
            for (int i = 0; i < Math.min(OVERLAYS, e.data().split(Split.VAL).size()); i++) {
                Batch b = val.next();
                try (NDManager step = root.newSubManager()) {
                    shown.add(new ComparisonReport.Shown(b.width(), b.height(), e.data().split(Split.VAL).load(i).image().rgb(),
                            b.masks(), evaluator.predict(step, b)));
                }
            }
        }
        return new ComparisonReport.Overlay(group, shown);
    }
}
