package io.sslseg.plugins.tempens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.sslseg.api.data.AugmentView;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.Split;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.api.method.LossTermContext;
import io.sslseg.api.method.StepContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** A term built without the platform, and a step that hands it chosen logits, ids and views. */
final class Fixtures {
    private Fixtures() {}

    /** A split of {@code n} blank images named {@code prefix_i}, each {@code width x height}. */
    static SampleList images(String prefix, int n, int width, int height) {
        return SampleList.of(n, i -> prefix + "_" + i,
                i -> new Sample(prefix + "_" + i, new RgbImage(width, height, new byte[width * height * 3]), null, null));
    }

    static LossTermContext context(int classes, long iterations, int labelled, SampleList unlabelled, Path workDir) {
        SampleList lab = images("lab", labelled, 4, 4);
        return LossTermContext.builder().numClasses(classes).totalIterations(iterations)
                .samples(s -> s == Split.LABELED ? lab : s == Split.UNLABELED ? unlabelled : SampleList.EMPTY)
                .workDir(workDir).build();
    }

    static TemporalEnsemblingParams params(double alpha, double wMax, boolean scale, double rampUp) {
        return new TemporalEnsemblingParams(alpha, wMax, scale, rampUp, "unlabeled");
    }

    /** Logits whose softmax over axis 1 is {@code p} (log-probabilities). */
    static NDArray logitsOf(NDManager m, float[] p, Shape shape) {
        float[] l = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            l[i] = (float) Math.log(p[i]);
        }
        return m.create(l, shape);
    }

    static byte[] save(TemporalEnsemblingTerm term) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            term.saveState(out);
        }
        return b.toByteArray();
    }

    static void load(TemporalEnsemblingTerm term, byte[] state) throws IOException {
        term.loadState(new DataInputStream(new ByteArrayInputStream(state)), "test.ckpt");
    }

    /** The step context a term sees, with only what temporal ensembling reads. */
    static final class Step implements StepContext {
        final NDManager manager;
        final NDArray logits;
        final List<String> ids;
        final List<AugmentView> views;
        final TrainingClock clock;
        final Map<String, Double> logged = new LinkedHashMap<>();

        Step(NDManager manager, NDArray logits, List<String> ids, List<AugmentView> views, long iteration, long total) {
            this.manager = manager;
            this.logits = logits;
            this.ids = ids;
            this.views = views;
            this.clock = new TrainingClock(iteration, total);
        }

        @Override
        public TrainingClock clock() {
            return clock;
        }

        @Override
        public NDManager manager() {
            return manager;
        }


        @Override
        public int numClasses() {
            return (int) logits.getShape().get(1);
        }


        @Override
        public NDArray labels(Split split) {
            return null;
        }

        @Override
        public List<String> ids(Split split) {
            check(split);
            return ids;
        }

        @Override
        public List<AugmentView> views(Split split) {
            check(split);
            return views;
        }



        @Override
        public NDArray logits(Split split) {
            check(split);
            return logits;
        }


        @Override
        public long seed(long stream) {
            return stream;
        }

        @Override
        public void log(String key, double value) {
            logged.put(key, value);
        }


        @Override
        public Map<Object, Object> stepState() {
            return new HashMap<>();
        }


        private static void check(Split split) {
            if (split != Split.UNLABELED) {
                throw new IllegalStateException("the term asked for the " + split + " split");
            }
        }
    }
}
