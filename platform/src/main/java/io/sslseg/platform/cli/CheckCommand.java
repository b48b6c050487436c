package io.sslseg.platform.cli;

import io.sslseg.api.SslsegException;
import io.sslseg.platform.compare.Grid;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.RunConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check run configs and compare grids without training: each is resolved against the installed"
                + " plugins, every value bound, and the network and loss terms built on the CPU.",
            "Errors name the file, the grid cell and the key. Nothing is written; the exit code is 1 if any file fails."})
final class CheckCommand implements Callable<Integer> {
    @ParentCommand
    SslsegCli cli;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Run configs or grids (YAML).")
    List<Path> files;

    @Override
    public Integer call() {
        cli.startEngine(1);
        int failed = 0;
        for (Path file : files) {
            try {
                cli.out.println(file + ": ok (" + check(file) + ")");
            } catch (SslsegException e) {
                cli.out.println(file + ": " + e.getMessage());
                failed++;
            }
        }
        if (failed > 0) {
            throw new SslsegException(failed + " of " + files.size() + " files failed the check (each named above)");
        }
        return 0;
    }

    /** What the file builds, in a few words; a problem throws, naming the file (and the cell of a grid). */
    private String check(Path file) {
        Map<String, Object> raw = Grid.parse(file); // read once: a grid is known by its axes
        if (raw.containsKey("axes")) {
            List<Grid.Cell> cells = Grid.of(file, raw).cells(cli.binder().toMap(RunConfig.defaults()));
            CompareCommand.buildEachCell(cli, cells); // as compare does before it starts any cell
            return "a grid of " + cells.size() + " cells, each built";
        }
        return build(Experiment.loadTree(cli.binder(), file, List.of()));
    }

    private String build(Map<String, Object> tree) {
        Experiment e = Experiment.resolve(tree, cli.plugins().catalog(), SslsegCli.cacheDir());
        e.checkBuild();
        RunConfig c = e.config();
        return c.model().encoder().get("type") + " + " + c.model().decoder().get("type") + ", " + c.dataset().get("type")
                + ", terms " + c.loss().terms().stream().map(t -> String.valueOf(t.get("type"))).toList();
    }
}
