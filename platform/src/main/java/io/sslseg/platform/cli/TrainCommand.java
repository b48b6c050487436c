package io.sslseg.platform.cli;

import io.sslseg.api.SslsegException;
import io.sslseg.api.data.ValidationReport;
import io.sslseg.platform.console.ConsoleProgress;
import io.sslseg.platform.plugins.PluginSystem;
import io.sslseg.platform.compare.GridRunner;
import io.sslseg.platform.run.GracefulStop;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.platform.run.RunLock;
import io.sslseg.platform.run.RunRecord;
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
        if (resume != null) {
            if (options.given() || runDir != null) {
                throw new SslsegException("--resume continues a run with its own config.yaml; drop --config, --set and --run-dir");
            }
            RunFolder folder = RunFolder.open(resume); // a run folder, before a lock file is made in it
            try (RunLock lock = RunLock.acquire(resume)) { // a second process on the same folder stops here
                return train(folder);
            }
        }
        return train(null);
    }

    /**
     * @param folder the run folder to resume (its lock held), or null for a new run
     */
    private Integer train(RunFolder folder) {
        Map<String, Object> tree;
        if (folder != null) {
            if (folder.status().equals("completed")) {
                throw new SslsegException(resume + " has already completed; nothing to resume");
            }
            if (initFrom != null) {
                throw new SslsegException("--resume continues from the run's own checkpoint; drop --init-from");
            }
            tree = folder.withConfig(t -> {
                Experiment.bindRunConfig(cli.binder(), t); // a bad value names config.yaml, not a key alone
                return t;
            });
        } else {
            tree = options.tree(cli.binder(), cli.err);
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
        Experiment experiment = folder != null
                ? folder.withConfig(recorded -> Experiment.resolve(recorded, plugins.catalog(), SslsegCli.cacheDir()))
                : Experiment.resolve(tree, plugins.catalog(), SslsegCli.cacheDir());
        ValidationReport report = experiment.validateData(ConsoleProgress.stderr());
        report.warnings().forEach(w -> cli.err.println("sslseg: warning: " + w));
        if (!report.usable()) {
            throw new SslsegException("the dataset is not usable: " + String.join("; ", report.errors()));
        }
        experiment.checkBuild(); // nested components, splits and eval.model: errors before any folder is written
        if (folder == null) {
            try (RunLock lock = RunFolder.lockNew(target)) {
                RunFolder created = RunFolder.create(target);
                created.writeConfig(experiment.resolvedYaml());
                created.writePluginsLock(plugins.plugins());
                RunRecord.writeDataset(created, experiment.data().info().identity());
                return run(experiment, created);
            }
        }
        cli.checkRecord(folder, experiment); // the same data and plugins as when it started, or --accept-changes
        return run(experiment, folder);
    }

    private Integer run(Experiment experiment, RunFolder folder) {
        cli.out.println("run folder: " + folder.dir());
        TrainingRun run = new TrainingRun(experiment, folder, cli.out);
        TrainingRun.Result r;
        // SIGTERM / SIGINT: finish the step, write a checkpoint, status "interrupted"; the JVM then exits 143 / 130.
        // The shutdown waits for the finally below, so the message is out before the JVM ends.
        GracefulStop stop = new GracefulStop(run::requestStop, GracefulStop.TRAINING_GRACE_SECONDS);
        stopWithParent(run);
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

    /** A cell started by compare stops, with a checkpoint, when compare ends, even by kill -9 (no orphaned training). */
    private void stopWithParent(TrainingRun run) {
        String pid = System.getenv(GridRunner.STOP_WITH_PID);
        if (pid == null || !pid.matches("[0-9]+")) {
            return;
        }
        Runnable stop = () -> {
            cli.err.println("sslseg: the compare process that started this run (PID " + pid + ") has ended; stopping at"
                    + " the end of this step");
            run.requestStop();
        };
        ProcessHandle.of(Long.parseLong(pid)).ifPresentOrElse(parent -> parent.onExit().thenRun(stop), stop);
    }
}
