package io.sslseg.plugins.seggan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.SslsegException;
import io.sslseg.platform.config.ConfigException;
import io.sslseg.platform.train.Experiment;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parameters: defaults, every refusal with its message, and how the platform reports them. */
class SegGanConfigTest {

    private static SegGanParams with(double maskT, String split, double weakWeight) {
        SegGanParams d = SegGanParams.defaults();
        return new SegGanParams(d.ndf(), d.classifierStride(), d.lambdaAdv(), d.lambdaSemiAdv(), d.lambdaSemi(), maskT,
                d.advStart(), d.semiStart(), d.dLr(), d.dBeta1(), d.dBeta2(), d.dPolyPower(), split, weakWeight,
                d.collapseThreshold(), d.collapseSteps());
    }

    private static void refused(Supplier<SegGanParams> p, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, p::get);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' in: " + e.getMessage());
        }
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        SegGanParams d = SegGanParams.defaults();
        assertEquals(new SegGanParams(32, 2, 0.01, 0.001, 0.1, 0.2, 0.0, 0.25, 1e-4, 0.9, 0.99, 0.9, "unlabeled", 0.0,
                0.05, 50), d);
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        refused(() -> with(1.5, "unlabeled", 0), "maskT", "[0, 1]");
        refused(() -> with(-0.1, "unlabeled", 0), "maskT");
        refused(() -> with(Double.NaN, "unlabeled", 0), "maskT");
        refused(() -> with(0.2, "unlabeled", 0.5), "weakWeight", "split: weak");
        refused(() -> with(0.2, "labeled", 0), "split", "'unlabeled' or 'weak'");
        refused(() -> with(0.2, "weak", -1), "weakWeight");
        SegGanParams d = SegGanParams.defaults();
        refused(() -> new SegGanParams(32, 3, 0.01, 0.001, 0.1, 0.2, 0, 0.25, 1e-4, 0.9, 0.99, 0.9, "unlabeled", 0, 0.05,
                50), "classifierStride");
        refused(() -> new SegGanParams(0, 2, 0.01, 0.001, 0.1, 0.2, 0, 0.25, 1e-4, 0.9, 0.99, 0.9, "unlabeled", 0, 0.05,
                50), "ndf");
        refused(() -> new SegGanParams(32, 2, -0.01, 0.001, 0.1, 0.2, 0, 0.25, 1e-4, 0.9, 0.99, 0.9, "unlabeled", 0, 0.05,
                50), "lambdaAdv");
        refused(() -> new SegGanParams(32, 2, 0.01, 0.001, 0.1, 0.2, 0.5, 0.25, 1e-4, 0.9, 0.99, 0.9, "unlabeled", 0,
                0.05, 50), "semiStart", "advStart");
        refused(() -> new SegGanParams(32, 2, 0.01, 0.001, 0.1, 0.2, 0, 1.25, 1e-4, 0.9, 0.99, 0.9, "unlabeled", 0, 0.05,
                50), "semiStart");
        refused(() -> new SegGanParams(32, 2, 0.01, 0.001, 0.1, 0.2, 0, 0.25, 0, 0.9, 0.99, 0.9, "unlabeled", 0, 0.05,
                50), "dLr");
        refused(() -> new SegGanParams(32, 2, 0.01, 0.001, 0.1, 0.2, 0, 0.25, 1e-4, 0.9, 1.0, 0.9, "unlabeled", 0, 0.05,
                50), "dBeta2");
        refused(() -> new SegGanParams(32, 2, 0.01, 0.001, 0.1, 0.2, 0, 0.25, 1e-4, 0.9, 0.99, 0.9, "unlabeled", 0, 0.05,
                0), "collapseSteps");
        // self-training off: its start may precede advStart; split weak without the +WSL loss is fine
        new SegGanParams(32, 2, 0.01, 0.001, 0.0, 0.2, 0.5, 0.25, 1e-4, 0.9, 0.99, 0.9, "unlabeled", 0, 0.05, 50);
        with(0.2, "weak", 0);
        with(0.0, "unlabeled", 0);
        with(1.0, "unlabeled", 0);
        assertEquals(d, with(0.2, "unlabeled", 0));
    }

    /** Through the platform: the config error carries the term's key path and the offending key. */
    @Test
    void theRunConfigReportsTheKeyPath(@TempDir Path tmp) {
        ConfigException e = assertThrows(ConfigException.class, () -> Experiment.resolve(Fixtures.tinyRun(
                "loss.terms=[{type: seg-gan, weakWeight: 0.5}]"), Fixtures.catalog(), tmp));
        assertTrue(e.getMessage().contains("loss.terms[0]") && e.getMessage().contains("weakWeight"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Experiment.resolve(Fixtures.tinyRun(
                "loss.terms=[{type: seg-gan, maskT: 2}]"), Fixtures.catalog(), tmp));
        assertTrue(e.getMessage().contains("maskT"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Experiment.resolve(Fixtures.tinyRun(
                "loss.terms=[{type: seg-gan, lambdaadv: 0.1}]"), Fixtures.catalog(), tmp));
        assertTrue(e.getMessage().contains("lambdaadv"), e.getMessage());
    }

    /** A crop the discriminator would shrink to nothing is refused when the run is built, with a hint. */
    @Test
    void aTooSmallCropIsRefusedAtBuildTime(@TempDir Path tmp) {
        Experiment exp = Experiment.resolve(Fixtures.tinyRun("train.augment.crop=16",
                "loss.terms=[{type: seg-gan}]"), Fixtures.catalog(), tmp);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SslsegException e = assertThrows(SslsegException.class, () -> exp.build(root, Device.cpu()));
            assertTrue(e.getMessage().contains("seg-gan") && e.getMessage().contains("classifierStride 1"),
                    e.getMessage());
            Experiment ok = Experiment.resolve(Fixtures.tinyRun("train.augment.crop=16",
                    "loss.terms=[{type: seg-gan, classifierStride: 1}]"), Fixtures.catalog(), tmp);
            ok.build(root, Device.cpu());
        }
    }
}
