package io.sslseg.platform.cli;

import io.sslseg.api.SslsegException;
import io.sslseg.platform.eval.ValExample;
import io.sslseg.platform.report.RunReport;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.platform.train.Checkpoint;
import io.sslseg.platform.train.TrainedNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write one run's report.html: what it trained and where it stands, its validation curve, each"
                + " logged training quantity in a chart of its own, per-class IoU, a few val images with the network's"
                + " prediction, and its config and environment.",
            "The page is self-contained (it opens offline, and can be mailed). A run still training or stopped gets a"
                + " report of what it has so far."})
final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    SslsegCli cli;

    @Parameters(paramLabel = "RUN_DIR", description = "A run folder written by 'sslseg train'.")
    Path runDir;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the page (default: RUN_DIR/report.html).")
    Path out;

    @Option(names = "--images", paramLabel = "N", defaultValue = "4", description = "Val images shown with their"
            + " prediction (default: ${DEFAULT-VALUE}); 0 leaves the network unloaded.")
    int images;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(runDir.resolve(RunFolder.CONFIG))) {
            throw new SslsegException(runDir + " is not a run folder: it has no " + RunFolder.CONFIG);
        }
        if (images < 0) {
            throw new SslsegException("--images must be 0 or more, got " + images);
        }
        LoadedRun run = LoadedRun.open(cli, runDir);
        List<String> classNames = run.experiment().data().info().classNames();
        List<ValExample> examples = List.of();
        String predictedBy = "";
        String checkpoint = TrainedNetwork.bestOrLatest(run.folder());
        if (images > 0 && checkpoint != null) {
            examples = ValExample.ofRun(run.folder(), run.experiment(), checkpoint, images);
            predictedBy = "the run's " + run.config().eval().model() + " network from its "
                    + (checkpoint.equals(Checkpoint.BEST) ? "best" : "latest") + " checkpoint";
        } else if (images > 0) {
            cli.err.println("sslseg: note: " + run.folder().checkpoints() + " holds no checkpoint yet; the report shows"
                    + " no predictions");
        }
        Path target = (out != null ? out : runDir.resolve("report.html")).toAbsolutePath();
        Files.createDirectories(target.getParent());
        RunFolder.writeAtomically(target, RunReport.html(runDir, classNames, examples, predictedBy));
        cli.out.println("report: " + target);
        return 0;
    }
}
