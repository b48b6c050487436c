package io.sslseg.platform.cli;

import io.sslseg.api.Components;
import io.sslseg.api.SslsegException;
import io.sslseg.api.launch.CellJob;
import io.sslseg.api.launch.LaunchContext;
import io.sslseg.api.launch.Launcher;
import io.sslseg.platform.compare.CellResult;
import io.sslseg.platform.compare.ComparisonReport;
import io.sslseg.platform.compare.Grid;
import io.sslseg.platform.compare.GridRunner;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.eval.ValExample;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.RunConfig;
import io.sslseg.platform.train.TrainedNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Run a grid of experiments (encoders x methods x labelled counts x seeds), each cell a normal run"
                + " folder under OUT/cells/, and write OUT/comparison.md, comparison.csv and report.html.",
            "Rerunning the same command continues an interrupted grid: finished cells are kept, a half-finished one"
                + " resumes from its checkpoint. `sslseg compare --out OUT` alone shows where an earlier grid's cells"
                + " stand and writes the reports of the finished ones (as --status)."})
final class CompareCommand implements Callable<Integer> {
    /** Val images shown per cell group in the report. */
    static final int OVERLAYS = 3;

    @ParentCommand
    SslsegCli cli;

    /** What compare records in its output folder, so that {@code --out DIR} alone finds the grid and its launcher. */
    static final String RECORD = "compare.yaml";

    @Option(names = "--grid", paramLabel = "FILE", description = "The grid (YAML): base config, shared overrides, axes."
            + " Without it, --out names an earlier comparison's folder, whose grid and launcher it recorded.")
    Path gridFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/compare-<grid name>).")
    Path out;

    @Option(names = "--rerun-changed", description = {"Train again, from scratch, the cells whose config changed since"
            + " they ran (their old folders are kept as cells/ID.replaced-N).",
        "Without it such a grid is refused: old results are never reused for a changed cell."})
    boolean rerunChanged;

    @Option(names = "--launcher", paramLabel = "NAME", description = "Where the cells run: local (this machine, one"
            + " after another; the default) or slurm (one job array on a Slurm cluster).")
    String launcher;

    @Option(names = "--partition", paramLabel = "P", description = "Slurm partition of the cells.")
    String partition;

    @Option(names = "--gpus-per-cell", paramLabel = "N", description = "GPUs each cell asks Slurm for.")
    Integer gpusPerCell;

    @Option(names = "--cpus-per-cell", paramLabel = "N", description = "CPU cores each cell asks Slurm for.")
    Integer cpusPerCell;

    @Option(names = "--max-parallel", paramLabel = "N", description = "Cells running at once on Slurm (the array's %%N).")
    Integer maxParallel;

    @Option(names = "--time", paramLabel = "HH:MM:SS", description = "Each cell's Slurm time limit; a cell checkpoints"
            + " before it and is requeued to resume.")
    String time;

    @Option(names = "--sbatch-arg", paramLabel = "ARG", description = "One more sbatch argument (repeatable), e.g."
            + " --sbatch-arg=--account=lab.")
    List<String> sbatchArgs;

    @Option(names = "--detach", description = "Submit the cells and return at once (a cluster launcher); rerun with"
            + " --status later.")
    boolean detach;

    @Option(names = "--status", description = "Submit nothing: show where each cell stands, and write the reports of"
            + " the finished ones.")
    boolean status;

    @Override
    public Integer call() {
        if (gridFile == null) {
            readRecord();
        }
        Grid grid = Grid.load(gridFile);
        Path dir = out != null ? out : Path.of("runs", "compare-" + grid.name());
        if (launcher == null) {
            launcher = "local";
        }
        List<Grid.Cell> cells = grid.cells(cli.binder().toMap(RunConfig.defaults()));
        RunConfig first = Experiment.bindRunConfig(cli.binder(), cells.get(0).tree());
        cli.startEngine(first.runtime().threads());
        // every cell resolved before any trains: a typo in the last cell must not surface hours later
        Map<String, String> resolved = buildEachCell(cli, cells);
        GridRunner runner = new GridRunner(dir, cli.pluginsFolder(), cli.out);
        Launcher cellLauncher = cli.plugins().catalog().build(Components.LAUNCHER, launcherBlock(), "--launcher", null);
        LaunchContext context = new LaunchContext(runner.sslsegCommand(), dir.toAbsolutePath(), cli.out,
                runDir -> Files.isRegularFile(runDir.resolve(RunFolder.CONFIG)) ? RunFolder.open(runDir).progress() : "");
        Map<String, String> launcherSays;
        if (status) {
            launcherSays = cellLauncher.status(context);
        } else {
            setAsideChanged(runner, cells, resolved);
            writeRecord(dir);
            cli.out.println("grid " + grid.name() + ": " + cells.size() + " cells -> " + dir);
            List<CellJob> jobs = runner.pending(cells);
            launcherSays = jobs.isEmpty() ? Map.of() : cellLauncher.run(jobs, context, detach);
            if (detach) {
                return 0;
            }
        }

        List<CellResult> results = new ArrayList<>();
        List<ComparisonReport.Unfinished> unfinished = new ArrayList<>();
        for (Grid.Cell c : cells) {
            if (GridRunner.isComplete(runner.cellDir(c))) {
                results.add(CellResult.read(c, runner.cellDir(c)));
            } else {
                String said = launcherSays.get(c.id());
                unfinished.add(new ComparisonReport.Unfinished(c, runner.unfinishedStatus(c) + (said == null ? "" : "; " + said)));
            }
        }
        if (status) {
            cli.out.println("grid " + grid.name() + ": " + results.size() + " of " + cells.size() + " cells done");
            unfinished.forEach(u -> cli.out.println("cell " + u.cell().id() + ": " + u.status()));
        }
        List<ComparisonReport.Group> groups = ComparisonReport.groups(results);
        List<ComparisonReport.Overlay> overlays = new ArrayList<>();
        List<String> classNames = List.of();
        for (ComparisonReport.Group g : groups) {
            Path cellDir = runner.cellDir(g.seeds().get(0).cell());
            Experiment e = RunFolder.open(cellDir).withConfig(tree -> Experiment.resolve(tree, cli.plugins().catalog(),
                    SslsegCli.cacheDir()));
            classNames = e.data().info().classNames();
            RunFolder cell = RunFolder.open(cellDir);
            overlays.add(new ComparisonReport.Overlay(g.id(),
                    ValExample.ofRun(cell, e, TrainedNetwork.bestOrLatest(cell), OVERLAYS)));
        }
        ComparisonReport.write(dir, "sslseg comparison: " + grid.name(), groups, unfinished, classNames, overlays);
        long failed = unfinished.size();
        cli.out.println();
        cli.out.print(ComparisonReport.markdown("sslseg comparison: " + grid.name(), groups, unfinished)); // here too
        cli.out.println();
        cli.out.println("comparison: " + dir.resolve("comparison.md") + ", " + dir.resolve("report.html"));
        if (failed > 0) {
            throw new SslsegException(failed + " of " + cells.size() + " cells have no results (listed in the"
                    + " comparison); it covers the others. Rerun the same command to retry them");
        }
        return 0;
    }

    /**
     * Resolves and builds every cell (nested components bound too: their errors now, their parameters in the resolved
     * config); an error names the cell. Cell id to its config as config.yaml records it.
     */
    static Map<String, String> buildEachCell(SslsegCli cli, List<Grid.Cell> cells) {
        Map<String, String> resolved = new LinkedHashMap<>();
        for (Grid.Cell c : cells) {
            try {
                Experiment e = Experiment.resolve(c.tree(), cli.plugins().catalog(), SslsegCli.cacheDir());
                e.checkBuild();
                resolved.put(c.id(), e.resolvedYaml());
            } catch (SslsegException e) {
                throw new SslsegException("grid cell " + c.id() + ": " + e.getMessage());
            }
        }
        return resolved;
    }

    /**
     * {@code --out DIR} without {@code --grid}: the grid file and launcher that DIR's comparison recorded; a status
     * call (nothing is submitted).
     */
    private void readRecord() {
        if (out == null) {
            throw new SslsegException("give --grid FILE (a comparison to run) or --out DIR (an earlier comparison's"
                    + " folder, to see where its cells stand)");
        }
        Path record = out.resolve(RECORD);
        if (!Files.isRegularFile(record)) {
            throw new SslsegException(out + " holds no comparison (no " + RECORD + "; comparisons made before sslseg"
                    + " recorded it need --grid)");
        }
        Map<String, Object> recorded = ConfigTree.load(record);
        if (!(recorded.get("grid") instanceof String grid) || !(recorded.get("launcher") instanceof String name)) {
            throw new SslsegException(record + ": needs the keys grid and launcher");
        }
        gridFile = Path.of(grid);
        if (!Files.isRegularFile(gridFile)) {
            throw new SslsegException(record + " names the grid " + gridFile + ", which is not there any more; give"
                    + " --grid with its new place");
        }
        if (launcher == null) {
            launcher = name;
        }
        status = true;
    }

    private void writeRecord(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new SslsegException("cannot create " + dir + ": " + e.getMessage());
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("grid", gridFile.toAbsolutePath().normalize().toString());
        record.put("launcher", launcher);
        RunFolder.writeAtomically(dir.resolve(RECORD), "# what `sslseg compare --out " + dir + "` reads\n"
                + ConfigTree.toYaml(record));
    }

    /** The launcher's config block: its type and the options given for it (the launcher refuses any it has not). */
    private Map<String, Object> launcherBlock() {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("type", launcher);
        putIfGiven(block, "partition", partition);
        putIfGiven(block, "gpusPerCell", gpusPerCell);
        putIfGiven(block, "cpusPerCell", cpusPerCell);
        putIfGiven(block, "maxParallel", maxParallel);
        putIfGiven(block, "time", time);
        putIfGiven(block, "sbatchArgs", sbatchArgs);
        return block;
    }

    private static void putIfGiven(Map<String, Object> block, String key, Object value) {
        if (value != null) {
            block.put(key, value);
        }
    }

    /**
     * Cells that ran under another config are refused, naming the keys, or with {@code --rerun-changed} moved aside to
     * train again: their results are never reported as the grid's.
     */
    private void setAsideChanged(GridRunner runner, List<Grid.Cell> cells, Map<String, String> resolved) {
        Map<String, List<String>> changed = runner.changedCells(cells, resolved);
        if (changed.isEmpty()) {
            return;
        }
        if (!rerunChanged) {
            StringBuilder sb = new StringBuilder(changed.size() + " grid cell(s) ran with a config other than the grid's"
                    + " now, so their results cannot be reused:");
            changed.forEach((id, diff) -> sb.append("\n  ").append(id).append(": ").append(String.join("; ",
                    diff.subList(0, Math.min(3, diff.size())))).append(diff.size() > 3 ? "; ..." : ""));
            throw new SslsegException(sb.append("\ntrain them again with --rerun-changed (their old folders are kept),"
                    + " or give another --out").toString());
        }
        for (Grid.Cell c : cells) {
            if (changed.containsKey(c.id())) {
                cli.out.println("cell " + c.id() + ": config changed (" + changed.get(c.id()).get(0) + "), old folder moved to "
                        + runner.setAside(c));
            }
        }
    }
}
