package io.sslseg.platform.cli;

import io.sslseg.api.data.ImageNormalization;
import io.sslseg.platform.export.ExportMetadata;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.RunConfig;
import io.sslseg.platform.train.TrainedNetwork;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A finished or stopped run opened by a command that uses its network (eval, export, predict): its folder, its
 * config as recorded, and the experiment resolved against the installed plugins, with the engine started for the
 * run's thread count.
 */
record LoadedRun(RunFolder folder, String configYaml, RunConfig config, Experiment experiment) {

    static LoadedRun open(SslsegCli cli, Path dir) {
        RunFolder folder = RunFolder.open(dir);
        String status = folder.liveStatus();
        if (!status.equals("completed")) {
            cli.err.println("sslseg: note: " + dir + " has not completed (" + status + "); its checkpoints are used as"
                    + " they are");
        }
        String yaml = folder.readConfig();
        RunConfig rc = folder.withConfig(tree -> Experiment.bindRunConfig(cli.binder(), tree));
        cli.startEngine(rc.runtime().threads());
        Experiment experiment = folder.withConfig(tree -> Experiment.resolve(tree, cli.plugins().catalog(),
                SslsegCli.cacheDir()));
        cli.checkRecord(folder, experiment);
        return new LoadedRun(folder, yaml, rc, experiment);
    }

    /** What an exported model of this run's {@code trained} network carries. */
    ExportMetadata metadata(TrainedNetwork trained) {
        return new ExportMetadata(experiment.data().info().classNames(), ImageNormalization.IMAGENET,
                config.train().augment().crop(), trained.net().outputStride(), io.sslseg.api.ApiVersion.VERSION,
                sha256(configYaml), trained.checkpoint(), trained.state().step(), trained.model(), 0);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
