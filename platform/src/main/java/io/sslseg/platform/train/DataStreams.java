package io.sslseg.platform.train;

import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.Split;
import io.sslseg.platform.data.Augmenter;
import io.sslseg.platform.data.BatchStream;

/** The batch streams a run draws from, as its config sets them up. */
public final class DataStreams {
    private DataStreams() {}

    /** Augmented labelled batches; starting at {@code startStep} continues a resumed run's exact sequence. */
    public static BatchStream labeled(Experiment e, long startStep) {
        RunConfig.Train t = e.config().train();
        return BatchStream.training(e.data().split(Split.LABELED), t.batchSize(), new Augmenter(t.augment()),
                e.config().seed(), startStep, prefetch(t.prefetch()));
    }

    /** An extra training stream read from the dataset's own split (whose samples need no masks). */
    public static BatchStream extra(Experiment e, Split split, long startStep) {
        return extra(e, split, e.data().split(split), startStep);
    }

    /**
     * An extra training stream (unlabelled or weak), with its own shuffle and augmentation draws, read from
     * {@code samples} (the dataset's split, or the weak split with pseudo-labels as masks).
     */
    public static BatchStream extra(Experiment e, Split split, SampleList samples, long startStep) {
        RunConfig.Train t = e.config().train();
        return BatchStream.training(samples, e.config().extraBatchSize(), new Augmenter(t.augment()),
                TrainingRun.mix(e.config().seed(), split.ordinal() + 1), startStep, prefetch(t.prefetch()));
    }

    /** The whole val split, in order, full images. */
    public static BatchStream val(Experiment e) {
        return BatchStream.eval(e.data().split(Split.VAL), e.config().eval().batchSize(),
                prefetch(e.config().train().prefetch()));
    }

    private static BatchStream.Prefetch prefetch(int batchesAhead) {
        return BatchStream.Prefetch.ahead(batchesAhead);
    }
}
