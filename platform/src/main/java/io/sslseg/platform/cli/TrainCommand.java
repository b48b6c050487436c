package io.sslseg.platform.cli;

import io.sslseg.api.SslsegException;
import io.sslseg.api.data.ValidationReport;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.console.ConsoleProgress;
import io.sslseg.platform.plugins.PluginSystem;
import io.sslseg.platform.run.GracefulStop;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.InitialWeights;
import io.sslseg.platform.train.RunConfig;
import io.sslseg.platform.train.TrainingRun;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a segmentation network; writes runs/NAME/ (config, metrics, checkpoints).")
final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    SslsegCli cli;

    @Mixin
    ConfigOptions options;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run folder (default: runs/<name>).")
    Path runDir;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue a stopped or killed run from its last checkpoint.")
    Path resume;

    @Option(names = "--init-from", paramLabel = "RUN",
            description = "Start the network from another run's weights (its best checkpoint, else its latest; or a"
                    + " checkpoint file): continual training with this config's methods and schedule.")
    Path initFrom;

    @Override
    public Integer call() {
        Map<String, Object> tree;
        RunFolder folder = null;
        if (resume != null) {
            if (options.given() || runDir != null) {
                throw new SslsegException("--resume continues a run with its own config.yaml; drop --config, --set and --run-dir");
            }
            folder = RunFolder.open(resume);
            if (folder.status().equals("completed")) {
                throw new SslsegException(resume + " has already completed; nothing to resume");
            }
            if (initFrom != null) {
                throw new SslsegException("--resume continues from the run's own checkpoint; drop --init-from");
            }
            tree = ConfigTree.fromYaml(folder.readConfig());
        } else {
            tree = options.tree(cli.binder());
            if (initFrom != null) {
                tree.put("initFrom", InitialWeights.checkpointOf(initFrom).toString()); // config.yaml records it
            }
        }
        RunConfig rc = Experiment.bindRunConfig(cli.binder(), tree);
        Path target = runDir != null ? runDir : Path.of("runs", rc.name());
        if (folder == null) {
            RunFolder.checkFree(target); // before the config is resolved: an existing run is the first thing to say
        }
        cli.startEngine(rc.runtime().threads());
        PluginSystem plugins = cli.plugins();
        Experiment experiment = Experiment.resolve(tree, plugins.catalog(), SslsegCli.cacheDir());
        ValidationReport report = experiment.validateData(ConsoleProgress.stderr());
        report.warnings().forEach(w -> cli.err.println("sslseg: warning: " + w));
        if (!report.usable()) {
            throw new SslsegException("the dataset is not usable: " + String.join("; ", report.errors()));
        }
        experiment.checkBuild(); // nested components, splits and eval.model: errors before any folder is written
        if (folder == null) {
            folder = RunFolder.create(target);
            folder.writeConfig(experiment.resolvedYaml());
            folder.writePluginsLock(plugins.plugins());
        }
        cli.out.println("run folder: " + folder.dir());
        TrainingRun run = new TrainingRun(experiment, folder, cli.out);
        TrainingRun.Result r;
        // SIGTERM / SIGINT: finish the step, write a checkpoint, status "interrupted"; the JVM then exits 143 / 130.
        // The shutdown waits for the finally below, so the message is out before the JVM ends.
        GracefulStop stop = new GracefulStop(run::requestStop, GracefulStop.TRAINING_GRACE_SECONDS);
        try {
            r = run.execute(resume != null);
        } catch (TrainingRun.Interrupted e) {
            cli.err.println("sslseg: " + e.getMessage());
            return 128 + 15; // a stop requested otherwise than by a signal: report it as SIGTERM would
        } finally {
            cli.out.flush();
            cli.err.flush();
            stop.close();
        }
        cli.out.printf("done: %d steps, val mIoU %.4f (best %.4f at step %d), %.2f steps/s, %s, peak RSS %d MiB%n",
                r.steps(), r.finalMiou(), r.bestMiou(), r.bestStep(), r.stepsPerSecond(),
                ConsoleProgress.formatDuration(r.seconds()), r.peakRssMb());
        return 0;
    }
}
