package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.util.PairList;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.Split;
import io.sslseg.api.method.LossTerm;
import io.sslseg.api.method.LossTermContext;
import io.sslseg.api.method.LossTermFactory;
import io.sslseg.api.method.StepContext;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.model.TwoStageDecoder;
import io.sslseg.api.nn.ScalarOps;
import io.sslseg.api.ssl.ConsistencyLoss;
import io.sslseg.api.ssl.Perturbation;
import io.sslseg.api.ssl.PerturbationContext;
import io.sslseg.api.ssl.Ramps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * CCT's unsupervised term: the unlabelled batch goes through the encoder and the main decoder once; the main
 * prediction, detached, is the target; each auxiliary decoder sees z after its own perturbation; L_u is the mean
 * consistency over the K decoders, weighted by the ramped w_u. z is the main decoder's neck output ({@code at:
 * decoder}: the auxiliary decoders are copies of its head; the main head then learns from labels only, the neck and
 * encoder from both) or the encoder's deepest stage ({@code at: bottleneck}, the reference's placement: light
 * upsampling decoders of their own; the whole main decoder learns from labels only).
 */
public final class CctTerm implements LossTerm {
    private final TwoStageDecoder main;
    private final List<Perturbation> perturbations = new ArrayList<>();
    private final List<String> perturbationNames = new ArrayList<>();
    private final List<Block> heads = new ArrayList<>();
    private final ConsistencyLoss consistency;
    private final double weight;
    private final Ramps.Ramp ramp;
    private final long rampStart;
    private final long rampEnd;
    private final int stride;
    private final int zChannels;
    private final boolean atBottleneck;
    private final Split split;

    /** Channels the bottleneck placement's auxiliary decoders carry through their upsampling steps. */
    static final int BOTTLENECK_HEAD_WIDTH = 32;

    public static LossTermFactory<CctTermParams> factory() {
        return LossTermFactory.of(CctTermParams.class, CctTermParams.defaults(),
                "Cross-Consistency Training: K perturbed auxiliary decoders kept consistent with the main one on"
                        + " unlabelled images", CctTerm::new);
    }

    CctTerm(CctTermParams p, LossTermContext ctx) {
        if (!(ctx.mainDecoder() instanceof TwoStageDecoder two)) {
            throw new SslsegException("loss term cct: the model's decoder has no separable neck and head; CCT's"
                    + " auxiliary decoders need one (use model.decoder.type: cct-main)");
        }
        this.main = two;
        this.atBottleneck = "bottleneck".equals(p.at());
        FeatureInfo.Stage deepest = ctx.features().stages().get(ctx.features().stages().size() - 1);
        this.stride = atBottleneck ? deepest.stride() : two.neckStride();
        this.zChannels = atBottleneck ? deepest.channels() : two.neckChannels();
        for (int i = 0; i < p.perturbations().size(); i++) {
            Map<String, Object> block = new LinkedHashMap<>(p.perturbations().get(i));
            int count = (Integer) block.remove("count");
            String key = ctx.keyPath() + ".perturbations[" + i + "]";
            Perturbation perturbation = ctx.resolver().build(Components.PERTURBATION, block, key, ctx.numClasses());
            for (int k = 0; k < count; k++) {
                perturbations.add(perturbation);
                perturbationNames.add(String.valueOf(block.get("type")));
                heads.add(atBottleneck ? new UpsampleHead(ctx.numClasses(), stride, false, BOTTLENECK_HEAD_WIDTH)
                        : main.newHead());
            }
        }
        if (heads.isEmpty()) {
            throw new SslsegException("loss term cct: every perturbation count is 0; CCT needs at least one auxiliary decoder");
        }
        this.consistency = ctx.resolver().build(Components.CONSISTENCY_LOSS, p.consistency(),
                ctx.keyPath() + ".consistency", ctx.numClasses());
        this.weight = p.weight();
        this.ramp = Ramps.Ramp.named(p.ramp());
        this.rampStart = Math.round(p.rampUpStart() * ctx.totalIterations());
        this.rampEnd = Math.round(p.rampUpEnd() * ctx.totalIterations());
        this.split = "weak".equals(p.split()) ? Split.WEAK : Split.UNLABELED;
    }

    /** Number of auxiliary decoders. */
    public int size() {
        return heads.size();
    }

    @Override
    public Set<Split> splits() {
        return Set.of(split);
    }

    /** It reads the split's encoder pass ({@code features} or {@code logits}). */
    @Override
    public Set<Split> encodedSplits() {
        return Set.of(split);
    }

    /** The split whose batch the auxiliary decoders see. */
    public Split split() {
        return split;
    }

    /** The ramp's value at {@code iteration} relative to its end value: w_u(t) / weight, in [0, 1]. */
    public double rampAt(long iteration) {
        return Ramps.consistencyWeight(1.0, ramp, iteration, rampStart, rampEnd);
    }

    /**
     * This step's auxiliary predictions (logits, N x C x H x W, one per decoder, in the graph), which
     * {@link #compute} leaves in the step's state for a later term; null before it ran this step.
     */
    @SuppressWarnings("unchecked")
    public List<NDArray> auxiliaryLogits(StepContext ctx) {
        return (List<NDArray>) ctx.stepState().get(this);
    }

    @Override
    public PairList<String, Block> blocks() {
        PairList<String, Block> out = new PairList<>();
        for (int k = 0; k < heads.size(); k++) {
            out.add("aux" + k + "-" + perturbationNames.get(k), heads.get(k));
        }
        return out;
    }

    @Override
    public void initialize(NDManager manager, Shape imageShape) {
        Shape z = new Shape(imageShape.get(0), zChannels, imageShape.get(2) / stride, imageShape.get(3) / stride);
        for (Block h : heads) {
            h.initialize(manager, DataType.FLOAT32, z);
        }
    }

    /** The ramped weight w_u at {@code iteration}. */
    public double weightAt(long iteration) {
        return Ramps.consistencyWeight(weight, ramp, iteration, rampStart, rampEnd);
    }

    @Override
    public NDArray compute(StepContext ctx) {
        NDList features = ctx.features(split);
        NDArray neck = ctx.forward(main.neck(), features).head();
        // the target: the main head on the neck's output, with no gradient back into it (the reference's stop-gradient)
        NDArray mainLogits = ctx.forward(main.head(), new NDList(neck)).head().stopGradient();
        // what the auxiliary decoders read: that same output, or the encoder's deepest stage
        NDArray z = atBottleneck ? features.get(features.size() - 1) : neck;
        NDArray target = mainLogits.softmax(1);
        SharedPrediction prediction = new SharedPrediction(mainLogits);
        NDArray sum = null;
        List<NDArray> outs = new ArrayList<>();
        for (int k = 0; k < heads.size(); k++) {
            Block head = heads.get(k);
            NDArray zk = perturbations.get(k).apply(z, new Context(ctx, mainLogits, prediction, head, k));
            NDArray out = ctx.forward(head, new NDList(zk)).head();
            outs.add(out);
            NDArray d = consistency.compute(out, target);
            sum = sum == null ? d : sum.add(d);
        }
        ctx.stepState().put(this, outs);
        NDArray lossU = ScalarOps.div(sum, heads.size());
        double w = weightAt(ctx.clock().iteration());
        ctx.log("loss_unsup", lossU.getFloat());
        ctx.log("w_u", w);
        return ScalarOps.mul(lossU, w);
    }

    /** The main prediction's argmax, made on first use and then shared by the step's perturbations. */
    private static final class SharedPrediction {
        private final NDArray mainLogits;
        private NDArray classes;

        SharedPrediction(NDArray mainLogits) {
            this.mainLogits = mainLogits;
        }

        NDArray get() {
            if (classes == null) {
                classes = mainLogits.argMax(1);
            }
            return classes;
        }
    }

    /** What one auxiliary decoder's perturbation sees. */
    private record Context(StepContext step, NDArray mainLogits, SharedPrediction prediction, Block head, int index)
            implements PerturbationContext {
        @Override
        public NDArray mainPrediction() {
            return prediction.get();
        }

        @Override
        public NDArray decode(NDArray z) {
            return step.forward(head, new NDList(z)).head();
        }

        @Override
        public NDArray inputGradient(NDArray input, UnaryOperator<NDArray> lossOfLogits) {
            return step.inputGradient(head, input, lossOfLogits);
        }

        @Override
        public long seed() {
            return step.seed(1000L + index);
        }
    }
}
