package io.sslseg.api.weak;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.sslseg.api.ComponentResolver;
import io.sslseg.api.Progress;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.nn.Updater;
import java.util.List;

/** What a {@link PseudoLabeler} works with. */
public interface PseudoLabelContext {
    /** The weakly labelled samples: images with image-level tags, no masks. */
    SampleList samples();

    /** Classes including background (class 0); tags are foreground ids 1..numClasses-1. */
    int numClasses();

    /** Builds the components it names in its parameters (its encoder). */
    ComponentResolver resolver();

    /** The manager (and so the device) to build blocks on; per-step arrays belong in sub-managers. */
    NDManager manager();

    /** The run's seed: draws derived from it make the pseudo-labels reproducible. */
    long seed();

    Progress progress();

    /**
     * The platform's AdamW (PyTorch's rule, decoupled weight decay) over {@code parameters}, so a labeller
     * trains its classifier with the same optimizer as the segmentation network and keeps no state of its own.
     */
    Updater adamW(PairList<String, Parameter> parameters, double weightDecay);

    /** Images as the network's input: N x 3 x H x W, normalised the way training batches are. */
    NDArray images(NDManager manager, List<RgbImage> images);
}
