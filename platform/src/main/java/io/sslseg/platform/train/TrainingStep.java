package io.sslseg.platform.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.sslseg.api.NonFiniteException;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.AugmentView;
import io.sslseg.api.data.Split;
import io.sslseg.api.loss.SupervisedLoss;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.api.method.LossTerm;
import io.sslseg.api.method.StepContext;
import io.sslseg.api.model.SegmentationModel;
import io.sslseg.api.nn.Layers;
import ai.djl.pytorch.jni.JniUtils;
import io.sslseg.platform.data.Batch;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One optimisation step: the supervised loss on the labelled batch plus every loss term's contribution,
 * one backward pass, one optimizer update, then the EMA teacher's update (when a term asked for one) and the
 * terms' {@link LossTerm#afterUpdate} hooks. Every array it makes lives in a per-step manager closed at the
 * end, so memory stays flat however many steps run. Built by {@link Experiment#training}, the one place that wires
 * network, terms, teacher and optimizer together.
 */
public final class TrainingStep {
    private final SegmentationNet net;
    private final TeacherNet teacher;
    private final SupervisedLoss loss;
    private final List<LossTerm> terms;
    private final GroupedOptimizer optimizer;
    private final NDManager root;
    private final int numClasses;
    private final boolean jointEncoderPass;
    /** The labelled split and those the terms read the encoder pass of ({@link LossTerm#encodedSplits}). */
    private final Set<Split> jointSplits;
    /** Nanoseconds spent in each phase of the steps run so far: the losses and backward pass, the gradient check, the update. */
    private final long[] phaseNanos = new long[3];

    /** The phases {@link #phaseNanos} reports, in order. */
    public static final List<String> PHASES = List.of("losses + backward", "gradient check", "update + hooks");

    /** @param teacher the EMA teacher, or null when no term asked for one */
    TrainingStep(SegmentationNet net, TeacherNet teacher, SupervisedLoss loss, List<LossTerm> terms,
            GroupedOptimizer optimizer, NDManager root, int numClasses, boolean jointEncoderPass) {
        this.net = net;
        this.teacher = teacher;
        this.loss = loss;
        this.terms = List.copyOf(terms);
        this.optimizer = optimizer;
        this.root = root;
        this.numClasses = numClasses;
        this.jointSplits = EnumSet.of(Split.LABELED);
        this.terms.forEach(t -> jointSplits.addAll(t.encodedSplits()));
        this.jointEncoderPass = jointEncoderPass && jointSplits.size() > 1;
    }

    /**
     * @param batches this step's batch per split (the labelled one always)
     * @param seed the step's seed: the engine's random state and every term's draws derive from it
     * @return the scalars of this step ({@code loss_sup}, {@code loss_total} and what the terms logged)
     */
    public Map<String, Double> run(Map<Split, Batch> batches, double lr, TrainingClock clock, long seed) {
        try (NDManager sm = root.newSubManager()) {
            Context ctx = new Context(sm, batches, clock, seed);
            long t0 = System.nanoTime();
            backward(ctx);
            long t1 = System.nanoTime();
            String bad = optimizer.firstNonFiniteGradient();
            long t2 = System.nanoTime();
            if (bad != null) {
                throw new NonFiniteException(clock.iteration() + 1, "the gradient of " + bad
                        + " has NaN or Inf; the update was not applied");
            }
            optimizer.step(lr);
            if (teacher != null) {
                teacher.update(clock.iteration() + 1);
            }
            for (LossTerm term : terms) {
                term.afterUpdate(ctx);
            }
            phaseNanos[0] += t1 - t0;
            phaseNanos[1] += t2 - t1;
            phaseNanos[2] += System.nanoTime() - t2;
            return ctx.logged;
        }
    }

    /** Total nanoseconds per phase ({@link #PHASES}) over the steps run so far; {@link #resetPhaseTimes} starts again. */
    public long[] phaseNanos() {
        return phaseNanos.clone();
    }

    public void resetPhaseTimes() {
        Arrays.fill(phaseNanos, 0);
    }

    /**
     * The step without the update: losses, then one backward pass, leaving the gradients on the parameters
     * (tests read them to check where gradients flow). Arrays live in {@code sm}.
     */
    public Map<String, Double> backward(NDManager sm, Map<Split, Batch> batches, TrainingClock clock, long seed) {
        Context ctx = new Context(sm, batches, clock, seed);
        backward(ctx);
        return ctx.logged;
    }

    private void backward(Context ctx) {
        TrainingClock clock = ctx.clock;
        Engine.getEngine("PyTorch").setRandomSeed((int) (ctx.seed & 0x7FFFFFFF));
        Map<String, Double> logged = ctx.logged;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            ctx.gc = gc;
            NDArray total = loss.compute(ctx.logits(Split.LABELED), ctx.labels(Split.LABELED), clock);
            logged.put("loss_sup", check("the supervised loss", total, clock));
            for (LossTerm term : terms) {
                NDArray part = term.compute(ctx);
                if (part != null) {
                    if (part.getDataType() != DataType.FLOAT32 || part.size() != 1) {
                        // a double weight silently promotes the whole loss to float64
                        throw new SslsegException("loss term " + term.getClass().getName() + " returned a "
                                + part.getDataType() + " array of shape " + part.getShape() + "; a float32 scalar is expected");
                    }
                    check("loss term " + term.getClass().getSimpleName(), part, clock);
                    total = total.add(part);
                }
            }
            logged.put("loss_total", check("the total loss", total, clock));
            gc.backward(total);
            for (LossTerm term : terms) {
                term.afterBackward(ctx);
            }
        } finally {
            ctx.gc = null;
        }
    }

    private static double check(String what, NDArray value, TrainingClock clock) {
        float v = value.getFloat();
        if (!Float.isFinite(v)) {
            throw new NonFiniteException(clock.iteration() + 1, what + " is " + v + "; the update was not applied");
        }
        return v;
    }

    /** Class ids as int64, 255 kept for the losses to ignore. */
    static NDArray labels(NDManager sm, Batch b) {
        return sm.create(ByteBuffer.wrap(b.masks()), new Shape(b.n(), b.height(), b.width()), DataType.UINT8)
                .toType(DataType.INT64, false);
    }

    private final class Context implements StepContext {
        private final NDManager sm;
        private final ParameterStore ps;
        private final ParameterStore keepingStatistics;
        private final Map<Split, Batch> batches;
        private final TrainingClock clock;
        private final long seed;
        private final Map<String, Double> logged = new LinkedHashMap<>();
        private final Map<Split, NDArray> images = new EnumMap<>(Split.class);
        private final Map<Split, NDList> features = new EnumMap<>(Split.class);
        private final Map<Split, NDArray> logits = new EnumMap<>(Split.class);
        private final Map<Split, NDArray> labels = new EnumMap<>(Split.class);
        private final Map<Object, Object> stepState = new HashMap<>();
        /** The step's collector while its graph is built and backpropagated; null before and after. */
        private GradientCollector gc;

        Context(NDManager sm, Map<Split, Batch> batches, TrainingClock clock, long seed) {
            this.sm = sm;
            this.ps = new ParameterStore(sm, false);
            this.keepingStatistics = new StatisticsKeepingStore(sm);
            this.batches = batches;
            this.clock = clock;
            this.seed = seed;
        }

        private GradientCollector collector() {
            if (gc == null) {
                throw new IllegalStateException("the step's graph is closed: backward passes only from compute or afterBackward");
            }
            return gc;
        }

        private Batch batch(Split split) {
            Batch b = batches.get(split);
            if (b == null) {
                throw new IllegalStateException("no " + split + " batch this step; the loss term must list it in splits()");
            }
            return b;
        }

        @Override
        public TrainingClock clock() {
            return clock;
        }

        @Override
        public NDManager manager() {
            return sm;
        }

        @Override
        public ParameterStore store() {
            return ps;
        }

        @Override
        public int numClasses() {
            return numClasses;
        }

        @Override
        public NDArray images(Split split) {
            return images.computeIfAbsent(split, s -> {
                Batch b = batch(s);
                return sm.create(b.images(), new Shape(b.n(), 3, b.height(), b.width()));
            });
        }

        @Override
        public NDArray labels(Split split) {
            Batch b = batch(split);
            // the supervised loss and terms read the same labels: converted once per step (a null is not kept)
            return b.masks() == null ? null : labels.computeIfAbsent(split, x -> TrainingStep.labels(sm, b));
        }

        @Override
        public List<String> ids(Split split) {
            return batch(split).ids();
        }

        @Override
        public List<AugmentView> views(Split split) {
            return batch(split).views();
        }

        @Override
        public NDArray logits(Split split) {
            return logits.computeIfAbsent(split, s -> net.decoder().forward(ps, features(s), true, null).head());
        }

        @Override
        public void backward(NDArray lossValue) {
            collector().backward(lossValue);
        }

        @Override
        public List<Set<Integer>> tags(Split split) {
            return batch(split).tags();
        }

        @Override
        public NDList features(Split split) {
            if (jointEncoderPass && features.isEmpty()) {
                encodeJointly();
            }
            return features.computeIfAbsent(split, s -> net.encoder().forward(ps, new NDList(images(s)), true, null));
        }

        /**
         * train.jointEncoderPass: one encoder pass over the labelled batch and this step's batches of the splits the
         * terms read the encoder pass of, where their images have the labelled ones' size; each split's features
         * are then a slice (a view: gradients reach the one pass) of it.
         */
        private void encodeJointly() {
            Batch labeled = batch(Split.LABELED);
            List<Split> joined = new ArrayList<>();
            for (Map.Entry<Split, Batch> e : batches.entrySet()) {
                Batch b = e.getValue();
                if (jointSplits.contains(e.getKey()) && b.height() == labeled.height() && b.width() == labeled.width()) {
                    joined.add(e.getKey());
                }
            }
            if (joined.size() < 2) {
                return;
            }
            NDList inputs = new NDList(joined.size());
            joined.forEach(s -> inputs.add(images(s)));
            NDList all = net.encoder().forward(ps, new NDList(NDArrays.concat(inputs, 0)), true, null);
            long from = 0;
            for (Split s : joined) {
                long to = from + batch(s).n();
                NDList part = new NDList(all.size());
                for (NDArray stage : all) {
                    part.add(stage.get(new NDIndex("{}:{}", from, to)));
                }
                features.put(s, part);
                from = to;
            }
        }

        @Override
        public long seed(long stream) {
            return TrainingRun.mix(seed, stream);
        }

        @Override
        public void log(String key, double value) {
            logged.put(key, value);
        }

        @Override
        public Map<Object, Object> stepState() {
            return stepState;
        }

        @Override
        public NDList forward(Block block, NDList inputs) {
            return block.forward(ps, inputs, true, null);
        }

        @Override
        public NDArray inputGradient(Block block, NDArray input, UnaryOperator<NDArray> lossOf) {
            NDArray x = input.stopGradient();
            x.setRequiresGradient(true);
            try (Layers.Frozen frozen = Layers.freeze(block)) {
                NDArray out = block.forward(ps, new NDList(x), true, null).head();
                collector().backward(lossOf.apply(out));
                return x.getGradient().duplicate();
            }
        }
    
        @Override
        public SegmentationModel student() {
            return studentThrough(ps);
        }

        private SegmentationModel studentThrough(ParameterStore store) {
            return new SegmentationModel() {
                @Override
                public NDList encode(NDArray x) {
                    return net.encoder().forward(store, new NDList(x), true, null);
                }

                @Override
                public NDArray decode(NDList stages) {
                    return net.decoder().forward(store, stages, true, null).head();
                }
            };
        }

        @Override
        public SegmentationModel studentKeepingStatistics() {
            return studentThrough(keepingStatistics);
        }

        @Override
        public SegmentationModel teacher() {
            if (teacher == null) {
                throw new IllegalStateException("this run has no teacher: no loss term declared one (LossTerm.teacher())");
            }
            SegmentationNet t = teacher.net();
            return new SegmentationModel() {
                @Override
                public NDList encode(NDArray x) {
                    return withoutGradient(() -> detached(t.encoder().forward(ps, new NDList(x), false, null)));
                }

                @Override
                public NDArray decode(NDList stages) {
                    return withoutGradient(() -> t.decoder().forward(ps, stages, false, null).head().stopGradient());
                }
            };
        }

        @Override
        public <T> T withoutGradient(Supplier<T> work) {
            boolean recording = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                return work.get();
            } finally {
                JniUtils.setGradMode(recording);
            }
        }
    }

    private static NDList detached(NDList list) {
        NDList out = new NDList(list.size());
        list.forEach(a -> out.add(a.stopGradient()));
        return out;
    }
}
