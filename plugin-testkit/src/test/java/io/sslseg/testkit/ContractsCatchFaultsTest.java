package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;
import io.sslseg.api.data.DatasetInfo;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.SegDataset;
import io.sslseg.api.data.Split;
import io.sslseg.api.ssl.ConsistencyLoss;
import io.sslseg.api.ssl.Perturbation;
import io.sslseg.api.weak.PseudoLabelerFactory;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The contracts must catch what they promise to catch: each broken component below fails its contract. */
class ContractsCatchFaultsTest {
    /** A labeller without parameters. */
    record None() {}

    private static void fails(String reason, org.junit.jupiter.api.function.Executable check) {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, check);
        assertTrue(e.getMessage().contains(reason), "failed for another reason: " + e.getMessage());
    }

    @Test
    void perturbationContractCatchesFaults() {
        fails("equals the features", () -> PerturbationContract.check("identity", (z, context) -> z));
        fails("no gradient reaches", () -> PerturbationContract.check("detached",
                (z, context) -> z.stopGradient().add(1f)));
        Perturbation unseeded = (z, context) -> z.add(z.getManager().randomNormal(z.getShape()));
        fails("must give the same result", () -> PerturbationContract.check("unseeded", unseeded));
        fails("shared main prediction was changed", () -> PerturbationContract.check("writes the prediction",
                (z, context) -> {
                    context.mainPrediction().muli(0); // the step's later perturbations would read zeros
                    return z.add(1f);
                }));
        PerturbationContract.check("shift", (z, context) -> z.add(1f)); // a trivial perturbation that is fine
        PerturbationContract.check("reads the prediction", (z, context) -> z.add(context.mainPrediction().gt(0)
                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mean()).add(1f));
    }

    @Test
    void consistencyLossContractCatchesFaults() {
        ConsistencyLoss meanLogit = (aux, target) -> aux.mean().abs();
        fails("equals the target", () -> ConsistencyLossContract.check("mean-logit", meanLogit));
        ConsistencyLoss detached = (aux, target) -> aux.stopGradient().softmax(1).sub(target).square().mean();
        fails("no gradient", () -> ConsistencyLossContract.check("detached", detached));
        ConsistencyLoss perPixel = (aux, target) -> aux.softmax(1).sub(target).square().mean(new int[] {1});
        fails("scalar", () -> ConsistencyLossContract.check("per-pixel", perPixel));
        ConsistencyLossContract.check("mse", (aux, target) -> aux.softmax(1).sub(target).square().mean());
    }

    @Test
    void datasetContractCatchesFaults() {
        fails("hides it", () -> DatasetContract.samples(dataset(true, "val")));
        fails("val images also in LABELED", () -> DatasetContract.samples(dataset(false, "train")));
        DatasetContract.samples(dataset(false, "val"));
    }

    @Test
    void pseudoLabelerContractCatchesALabelThatNoTagNames() throws Throwable {
        AbstractModule everythingTwo = new AbstractModule() {
            @Override
            protected void configure() {
                Components.register(binder(), Components.PSEUDO_LABELER, "everything-two").toInstance(
                        PseudoLabelerFactory.of(None.class, new None(),
                                "class 2 everywhere", params -> (context, sink) -> {
                                    for (int i = 0; i < context.samples().size(); i++) {
                                        RgbImage im = context.samples().load(i).image();
                                        byte[] labels = new byte[im.width() * im.height()];
                                        java.util.Arrays.fill(labels, (byte) 2);
                                        sink.accept(i, new LabelMask(im.width(), im.height(), labels));
                                    }
                                }));
            }
        };
        List<DynamicTest> tests = PseudoLabelerContract.check("{type: everything-two}", everythingTwo).toList();
        tests.get(0).getExecutable().execute(); // every sample once, of its size: fine
        fails("tags", () -> tests.get(1).getExecutable().execute());
    }

    /** Two classes, 4 labelled and 4 val scenes of 4 x 4 and 4 unlabelled ones, optionally with masks. */
    private static SegDataset dataset(boolean unlabeledMasks, String valPrefix) {
        return new SegDataset() {
            @Override
            public DatasetInfo info() {
                return new DatasetInfo("faulty", List.of("background", "thing"));
            }

            @Override
            public SampleList split(Split split) {
                return switch (split) {
                    case LABELED -> list("train", true);
                    case VAL -> list(valPrefix, true);
                    case UNLABELED -> list("u", unlabeledMasks);
                    case WEAK -> SampleList.EMPTY;
                };
            }

            private SampleList list(String prefix, boolean masks) {
                return SampleList.of(4, i -> prefix + i, i -> new Sample(prefix + i, new RgbImage(4, 4, new byte[48]),
                        masks ? new LabelMask(4, 4, new byte[16]) : null, Set.of()));
            }
        };
    }
}
