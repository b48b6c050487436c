package io.sslseg.platform.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.SslsegException;
import io.sslseg.platform.console.ConsoleProgress;
import io.sslseg.platform.eval.Evaluator;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.testkit.TestPlatform;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Continual training: a run's network starts from another run's checkpoint, by parameter name. */
class InitialWeightsTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static ComponentCatalog catalog;

    @BeforeAll
    static void platform() {
        catalog = TestPlatform.catalog();
    }

    private static Path trainSource(Path tmp) {
        Experiment exp = Experiment.resolve(TestPlatform.tinyRun("train.iterations=30"), catalog, tmp);
        RunFolder folder = RunFolder.create(tmp.resolve("source"));
        folder.writeConfig(exp.resolvedYaml());
        new TrainingRun(exp, folder, QUIET).execute(false);
        return folder.dir();
    }

    /** The copied network is the source's best network: same weights, same val mIoU before any step. */
    @Test
    void theNewNetworkStartsWithTheSourceWeights(@TempDir Path tmp) {
        Path source = trainSource(tmp);
        Path ckpt = InitialWeights.checkpointOf(source);
        assertEquals(source.resolve("checkpoints").resolve(Checkpoint.BEST).toAbsolutePath().normalize(), ckpt);
        Experiment next = Experiment.resolve(TestPlatform.tinyRun("initFrom=" + ckpt, "seed=99"), catalog, tmp);
        assertTrue(next.resolvedYaml().contains("initFrom: " + ckpt), "config.yaml records where the weights came from");
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SegmentationNet fresh = next.buildNet(root, Device.cpu());
            InitialWeights.Transfer t = InitialWeights.apply(next, ckpt, fresh, root, Device.cpu());
            assertEquals(fresh.getParameters().size(), t.copied());
            assertEquals(List.of(), t.unused());

            Experiment src = Experiment.resolve(TestPlatform.tinyRun("train.iterations=30"), catalog, tmp);
            SegmentationNet reference = src.buildNet(root, Device.cpu());
            Checkpoint.State s = Checkpoint.load(ckpt, root, List.of(reference), null);
            for (int i = 0; i < fresh.getParameters().size(); i++) {
                assertArrayEquals(reference.getParameters().get(i).getValue().getArray().toFloatArray(),
                        fresh.getParameters().get(i).getValue().getArray().toFloatArray(), 0f,
                        fresh.getParameters().get(i).getKey());
            }
            double miou = new Evaluator(fresh, fresh.outputStride(), next.numClasses(), Device.cpu())
                    .evaluate(root, DataStreams.val(next), next.data().split(io.sslseg.api.data.Split.VAL).size(),
                            ConsoleProgress.stderr()).meanIou();
            assertEquals(s.bestMiou(), miou, 1e-9, "the copied network scores what the source's best did");
        }
    }

    @Test
    void aModelThatDoesNotFitIsAnErrorNamingTheParameter(@TempDir Path tmp) {
        Path ckpt = InitialWeights.checkpointOf(trainSource(tmp));
        Experiment wider = Experiment.resolve(TestPlatform.tinyRun("initFrom=" + ckpt, "model.encoder.width=12"),
                catalog, tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SegmentationNet net = wider.buildNet(root, Device.cpu());
            SslsegException e = assertThrows(SslsegException.class,
                    () -> InitialWeights.apply(wider, ckpt, net, root, Device.cpu()));
            assertTrue(e.getMessage().contains("does not fit this run's model") && e.getMessage().contains(" there, "),
                    e.getMessage());
        }
    }

    @Test
    void aFolderWithoutCheckpointsIsRefused(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("not-a-run"));
        SslsegException e = assertThrows(SslsegException.class, () -> InitialWeights.checkpointOf(empty));
        assertTrue(e.getMessage().contains("not a run folder with a checkpoint"), e.getMessage());
    }

    /** A whole run from the source's weights: the first evaluation is already far above chance. */
    @Test
    void aContinualRunTrainsFromTheSourceWeights(@TempDir Path tmp) {
        Path ckpt = InitialWeights.checkpointOf(trainSource(tmp));
        Experiment next = Experiment.resolve(TestPlatform.tinyRun("initFrom=" + ckpt, "train.iterations=5",
                "train.evalEvery=5", "train.optimizer.lr=0.0001"), catalog, tmp);
        TrainingRun.Result r = new TrainingRun(next, RunFolder.create(tmp.resolve("next")), QUIET).execute(false);
        assertTrue(r.finalMiou() > 0.3, "5 small steps from a trained network: mIoU " + r.finalMiou());
    }
}
