package io.sslseg.platform.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.data.Split;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.platform.data.Batch;
import io.sslseg.platform.data.BatchStream;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.testkit.TestPlatform;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * train.jointEncoderPass joins only the splits a term declares it reads the encoder pass of
 * (LossTerm.encodedSplits): a step whose unlabelled batch no term encodes through the platform (as FixMatch, UniMatch
 * and Mean Teacher encode their own views) is the same step with and without the option. The joint pass itself is
 * checked against two passes in the CCT plugin's CctTermTest.
 */
class JointEncoderPassTest {
    @Test
    void anUndeclaredSplitIsNotEncodedWithTheLabelledBatch() {
        ComponentCatalog catalog = TestPlatform.catalog();
        Map<String, Double> apart = step(catalog, false);
        Map<String, Double> joint = step(catalog, true);
        // the tiny model has batch norm: a joint pass over different images would change the supervised loss
        assertEquals(apart.get("loss_sup"), joint.get("loss_sup"), 0.0);
        assertEquals(apart.get("loss_total"), joint.get("loss_total"), 0.0);
    }

    private static Map<String, Double> step(ComponentCatalog catalog, boolean joint) {
        Experiment exp = TestPlatform.experiment(catalog, "dataset.unlabeled=32", "loss.terms=[{type: counting}]",
                "train.jointEncoderPass=" + joint);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                BatchStream labeled = DataStreams.labeled(exp, 0);
                BatchStream unlabeled = DataStreams.extra(exp, Split.UNLABELED, 0);
                NDManager sm = root.newSubManager()) {
            Experiment.Training t = exp.training(root, Device.cpu(), null);
            Map<Split, Batch> batches = new EnumMap<>(Split.class);
            batches.put(Split.LABELED, labeled.next());
            batches.put(Split.UNLABELED, unlabeled.next());
            return t.step().backward(sm, batches, new TrainingClock(0, 60), 1);
        }
    }
}
