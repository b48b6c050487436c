package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.inject.Module;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.Split;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.weak.PseudoLabelStage;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The pseudo-labeller contract, for a labeller as a config names it, run the way the platform's pseudo-label stage
 * runs it, on the weak split of the tiny synthetic run (24 tagged scenes of 32 x 32, two foreground classes):
 * <ul>
 *   <li>{@code labelsEverySampleOnce}: the sink hears every index exactly once, each mask of its image's size;</li>
 *   <li>{@code labelsOnlyTaggedClasses}: every value is background, one of the image's tags, or 255 (unsure): a
 *       pseudo-label never names a class the image is not tagged with;</li>
 *   <li>{@code sameSeedSameLabels}: two runs of the same config give the same masks.</li>
 * </ul>
 *
 * <pre>{@code @TestFactory Stream<DynamicTest> contract() {
 *     return PseudoLabelerContract.check("{type: my-labeller, iterations: 20}", new MyModule());
 * }}</pre>
 */
public final class PseudoLabelerContract {
    public static final int WEAK_SCENES = 24;

    private PseudoLabelerContract() {}

    /**
     * @param labeler the labeller's config block ({@code pseudoLabels} in a run config), in YAML flow style
     * @param modules the plugins' modules it needs (its own, and any whose components it names)
     */
    public static Stream<DynamicTest> check(String labeler, Module... modules) {
        ComponentCatalog catalog = TestPlatform.catalog(modules);
        return Stream.of(
                DynamicTest.dynamicTest(labeler + " labelsEverySampleOnce", () -> label(catalog, labeler)),
                DynamicTest.dynamicTest(labeler + " labelsOnlyTaggedClasses", () -> tagged(catalog, labeler)),
                DynamicTest.dynamicTest(labeler + " sameSeedSameLabels", () -> {
                    LabelMask[] first = label(catalog, labeler);
                    LabelMask[] second = label(catalog, labeler);
                    for (int i = 0; i < first.length; i++) {
                        assertArrayEquals(first[i].labels(), second[i].labels(), "sample " + i + ": another mask");
                    }
                }));
    }

    /** The masks of the weak split, by index, each checked for size and heard exactly once. */
    private static LabelMask[] label(ComponentCatalog catalog, String labeler) {
        Experiment exp = experiment(catalog, labeler);
        SampleList weak = exp.data().split(Split.WEAK);
        LabelMask[] masks = new LabelMask[weak.size()];
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            PseudoLabelStage.label(exp, weak, root, (index, mask) -> {
                assertTrue(index >= 0 && index < masks.length, "index " + index + " is outside the weak split");
                assertNull(masks[index], "sample " + index + " was labelled twice");
                Sample s = weak.load(index);
                assertEquals(s.image().width(), mask.width(), weak.id(index) + ": mask width");
                assertEquals(s.image().height(), mask.height(), weak.id(index) + ": mask height");
                masks[index] = mask;
            });
        }
        for (int i = 0; i < masks.length; i++) {
            assertTrue(masks[i] != null, "sample " + i + " (" + weak.id(i) + ") got no label");
        }
        return masks;
    }

    private static void tagged(ComponentCatalog catalog, String labeler) {
        LabelMask[] masks = label(catalog, labeler);
        SampleList weak = experiment(catalog, labeler).data().split(Split.WEAK);
        for (int i = 0; i < masks.length; i++) {
            Set<Integer> tags = weak.load(i).tags();
            for (byte b : masks[i].labels()) {
                int v = b & 0xFF;
                assertTrue(v == 0 || v == LabelMask.IGNORE || tags.contains(v),
                        weak.id(i) + ": class " + v + " in the pseudo-label, tags " + tags);
            }
        }
    }

    private static Experiment experiment(ComponentCatalog catalog, String labeler) {
        return TestPlatform.experiment(catalog, "dataset.weak=" + WEAK_SCENES, "pseudoLabels=" + labeler);
    }
}
