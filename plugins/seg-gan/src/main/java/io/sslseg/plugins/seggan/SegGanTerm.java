package io.sslseg.plugins.seggan;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.sslseg.api.NonFiniteException;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.Split;
import io.sslseg.api.data.SplitMix64;
import io.sslseg.api.loss.PixelLabels;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.api.method.LossTerm;
import io.sslseg.api.method.LossTermContext;
import io.sslseg.api.method.LossTermFactory;
import io.sslseg.api.method.StepContext;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.nn.Optimizers;
import io.sslseg.api.nn.ScalarOps;
import io.sslseg.api.nn.Updater;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AdvSemiSeg (Hung et al., BMVC 2018) as a loss term: a fully-convolutional discriminator D
 * that this term owns and trains with its own Adam, and three summands for the network G.
 *
 * <p>One step, with P the main decoder's logits at crop size and S the channel softmax:
 * <ol>
 *   <li>{@link #compute}, while the step's graph is built, with D frozen (its parameters get no gradient, but the
 *       graph through it stays, so the gradient reaches G): {@code lambdaAdv * BCE(D(S(P_l)), 1)} over labelled
 *       pixels not labelled 255; {@code lambdaSemiAdv * BCE(D(S(P_u)), 1)} over all pixels of the extra split; from
 *       {@code semiStart} on, {@code lambdaSemi * CE(P_u, argmax P_u)} over the pixels where sigmoid(D(S(P_u)))
 *       reaches {@code maskT}; and, with split weak, {@code weakWeight * CE(P_w, pseudo-labels)}.</li>
 *   <li>The platform backpropagates the step's loss into G.</li>
 *   <li>{@link #afterBackward}, with D trainable: {@code L_D = 0.5 BCE(D([S(P_l), S(P_u)] detached), 0) + 0.5
 *       BCE(D(onehot(Y_real)), 1)}, the fake half masked at the labelled 255 pixels, the real half at Y_real's;
 *       Y_real is an independently drawn labelled batch of the same size. A backward of its own (the inputs are
 *       detached, so G's gradients stay as they are), then D's Adam step with its poly learning rate.</li>
 *   <li>The platform updates G.</li>
 * </ol>
 * Before {@code advStart} only the +WSL loss (when configured) is active and D does not train.
 *
 * <p>D is not among {@link #blocks()}: those are the network optimizer's. Its parameters and Adam state go into
 * checkpoints through {@link #saveState}.
 *
 * <p>Logged per step: {@code loss_adv}, {@code loss_semi_adv}, {@code loss_semi}, {@code loss_wsl} unweighted (as
 * the reference prints them; {@code loss_total} has them weighted), {@code semi_ratio} (the share of pixels
 * self-training keeps), {@code loss_D} with its halves {@code loss_D_fake} and {@code loss_D_real}, and {@code lr_D}.
 * A D loss below {@code collapseThreshold} for {@code collapseSteps} steps is a warning in the log.
 */
public final class SegGanTerm implements LossTerm {
    private static final Logger LOG = LoggerFactory.getLogger(SegGanTerm.class);
    /** The {@link StepContext#seed} stream of the ground-truth draws. */
    static final long REAL_MASK_STREAM = 0x5E6_6A40_0001L;
    private static final int STATE_VERSION = 1;
    /** PyTorch Adam's default, which the reference keeps. */

    private final SegGanParams p;
    private final int numClasses;
    private final Split split;
    private final double advStartIteration;
    private final double semiStartIteration;
    private final RealMasks real;
    private final FcDiscriminator discriminator;
    private NDManager manager;
    private final Optimizers optimizers;
    private Updater updater;
    private int lowLossSteps;
    private boolean collapseWarned;
    /** Tests: runs after L_D's backward, before D's update (D's gradients are in place). */
    Runnable beforeDiscriminatorUpdate;

    /** What {@link #compute} leaves for {@link #afterBackward}: the detached fake inputs of D. */
    private record Fakes(NDArray labeled, NDArray labeledValid, NDArray extra) {}

    public static LossTermFactory<SegGanParams> factory() {
        return LossTermFactory.of(SegGanParams.class, SegGanParams.defaults(),
                "AdvSemiSeg: a fully-convolutional discriminator with its own Adam; adversarial and confidence-masked"
                        + " self-training losses on labelled and unlabelled predictions", SegGanTerm::new);
    }

    SegGanTerm(SegGanParams p, LossTermContext ctx) {
        this.optimizers = ctx.optimizers();
        this.p = p;
        this.numClasses = ctx.numClasses();
        this.split = "weak".equals(p.split()) ? Split.WEAK : Split.UNLABELED;
        this.advStartIteration = p.advStart() * ctx.totalIterations();
        this.semiStartIteration = p.semiStart() * ctx.totalIterations();
        this.real = new RealMasks(ctx.samples().apply(Split.LABELED));
        this.discriminator = new FcDiscriminator(numClasses, p.ndf(), p.classifierStride());
    }

    public SegGanParams params() {
        return p;
    }

    /** D; not trained by the network's optimizer. */
    public FcDiscriminator discriminator() {
        return discriminator;
    }

    /** The split that plays the unlabelled role. */
    public Split split() {
        return split;
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

    /** The +WSL loss trains on the weak split's pseudo-labels. */
    @Override
    public Set<Split> pseudoLabeled() {
        return p.weakWeight() > 0 ? Set.of(Split.WEAK) : Set.of();
    }

    @Override
    public void initialize(NDManager manager, Shape imageShape) {
        this.manager = manager;
        try {
            discriminator.initialize(manager, DataType.FLOAT32,
                    new Shape(1, numClasses, imageShape.get(2), imageShape.get(3)));
        } catch (IllegalArgumentException e) {
            throw new SslsegException("loss term seg-gan: " + e.getMessage() + " (train.augment.crop)");
        }
        PairList<String, Parameter> named = new PairList<>();
        discriminator.getParameters().forEach(e -> named.add(e.getKey(), e.getValue()));
        // the reference's Adam for D: the platform's AdamW with weight decay 0
        this.updater = optimizers.adamW(named, p.dBeta1(), p.dBeta2(), 0.0);
    }

    /** Whether the adversarial part (and D's training) is on at {@code iteration}. */
    public boolean adversarialAt(long iteration) {
        return iteration >= advStartIteration;
    }

    /** Whether the confidence-masked self-training loss is on at {@code iteration}. */
    public boolean selfTrainingAt(long iteration) {
        return p.lambdaSemi() > 0 && adversarialAt(iteration) && iteration >= semiStartIteration;
    }

    /** D's learning rate: {@code dLr * (1 - it / total)^dPolyPower}, the reference's {@code lr_poly}. */
    public double discriminatorLr(TrainingClock clock) {
        double left = clock.totalIterations() <= 0 ? 0.0
                : Math.max(0.0, 1.0 - (double) clock.iteration() / clock.totalIterations());
        return p.dLr() * Math.pow(left, p.dPolyPower());
    }

    @Override
    public NDArray compute(StepContext ctx) {
        long it = ctx.clock().iteration();
        NDArray total = null;
        if (p.weakWeight() > 0) {
            NDArray pseudo = ctx.labels(Split.WEAK);
            if (pseudo == null) {
                throw new SslsegException("loss term seg-gan: weakWeight needs the weak batch's pixel pseudo-labels,"
                        + " and this step's weak batch has none");
            }
            NDArray pw = atSize(ctx.logits(Split.WEAK), pseudo.getShape());
            NDArray wsl = PixelLabels.crossEntropy(pw, pseudo);
            ctx.log("loss_wsl", wsl.getFloat());
            total = ScalarOps.mul(wsl, p.weakWeight());
        }
        if (!adversarialAt(it)) {
            return total;
        }
        NDArray labels = ctx.labels(Split.LABELED);
        NDArray pl = atSize(ctx.logits(Split.LABELED), labels.getShape());
        Shape image = ctx.images(split).getShape();
        NDArray pu = atSize(ctx.logits(split), new Shape(image.get(0), image.get(2), image.get(3)));
        NDArray sl = pl.softmax(1);
        NDArray su = pu.softmax(1);
        NDArray validL = PixelLabels.valid(labels);
        try (Layers.Frozen frozen = Layers.freeze(discriminator)) {
            if (p.lambdaAdv() > 0) {
                NDArray lossAdv = AdvLosses.bceWithLogits(discriminate(ctx, sl), 1f, validL);
                ctx.log("loss_adv", lossAdv.getFloat());
                total = plus(total, ScalarOps.mul(lossAdv, p.lambdaAdv()));
            }
            boolean semi = selfTrainingAt(it);
            if (p.lambdaSemiAdv() > 0 || semi) {
                NDArray du = discriminate(ctx, su);
                if (p.lambdaSemiAdv() > 0) {
                    NDArray lossSemiAdv = AdvLosses.bceWithLogits(du, 1f, null);
                    ctx.log("loss_semi_adv", lossSemiAdv.getFloat());
                    total = plus(total, ScalarOps.mul(lossSemiAdv, p.lambdaSemiAdv()));
                }
                if (semi) {
                    AdvLosses.SelfTraining st = AdvLosses.selfTrainingTargets(pu, du, p.maskT());
                    ctx.log("semi_ratio", st.ratio());
                    if (st.ratio() > 0) {
                        NDArray lossSemi = PixelLabels.crossEntropy(pu, st.labels());
                        ctx.log("loss_semi", lossSemi.getFloat());
                        total = plus(total, ScalarOps.mul(lossSemi, p.lambdaSemi()));
                    } else {
                        ctx.log("loss_semi", 0.0); // no pixel passed the mask: skipped, as in the reference
                    }
                }
            }
        }
        ctx.stepState().put(this, new Fakes(sl.stopGradient(), validL, su.stopGradient()));
        return total;
    }

    @Override
    public void afterBackward(StepContext ctx) {
        if (!(ctx.stepState().get(this) instanceof Fakes fakes)) {
            return; // before advStart: D does not train
        }
        NDManager sm = ctx.manager();
        Shape ls = fakes.labeled().getShape();
        int nl = (int) ls.get(0);
        int h = (int) ls.get(2);
        int w = (int) ls.get(3);
        long nu = fakes.extra().getShape().get(0);
        NDArray fake = NDArrays.concat(new NDList(fakes.labeled(), fakes.extra()), 0);
        NDArray fakeValid = NDArrays.concat(new NDList(fakes.labeledValid(), sm.ones(new Shape(nu, h, w))), 0);
        NDArray realLabels = real.draw(sm, new SplitMix64(ctx.seed(REAL_MASK_STREAM)), nl, h, w);
        NDArray realInput = PixelLabels.oneHot(realLabels, numClasses);
        NDArray lossFake = AdvLosses.bceWithLogits(ctx.forward(discriminator, new NDList(fake)).head(), 0f, fakeValid);
        NDArray lossReal = AdvLosses.bceWithLogits(ctx.forward(discriminator, new NDList(realInput)).head(), 1f,
                PixelLabels.valid(realLabels));
        NDArray lossD = ScalarOps.mul(lossFake.add(lossReal), 0.5);
        float value = lossD.getFloat();
        if (!Float.isFinite(value)) {
            // the platform replays the step: a transient fault passes, a reproducible one stops the run
            throw new NonFiniteException(ctx.clock().iteration() + 1, "the seg-gan discriminator's loss is " + value
                    + "; its update was not applied (lower dLr)");
        }
        ctx.backward(lossD);
        if (beforeDiscriminatorUpdate != null) {
            beforeDiscriminatorUpdate.run();
        }
        double lr = discriminatorLr(ctx.clock());
        updater.step(lr);
        ctx.log("loss_D", value);
        ctx.log("loss_D_fake", lossFake.getFloat());
        ctx.log("loss_D_real", lossReal.getFloat());
        ctx.log("lr_D", lr);
        watchCollapse(value, ctx.clock().iteration());
    }

    /**
     * Counts consecutive steps with a D loss below {@code collapseThreshold}; warns once when the count reaches
     * {@code collapseSteps}, and again only after a step at or above the threshold ended that episode.
     *
     * @return whether this call warned
     */
    boolean watchCollapse(double lossD, long iteration) {
        if (!(lossD < p.collapseThreshold())) {
            lowLossSteps = 0;
            collapseWarned = false;
            return false;
        }
        lowLossSteps++;
        if (lowLossSteps >= p.collapseSteps() && !collapseWarned) {
            collapseWarned = true;
            LOG.warn("seg-gan: the discriminator's loss has stayed below {} for {} steps (now {} at step {}): it tells"
                    + " predictions from ground truth by a trivial cue, so its signal to the network carries little"
                    + " (AdvSemiSeg's healthy range is 0.2-0.5). Check that real and fake inputs are prepared alike;"
                    + " a lower dLr or a later advStart may help.", p.collapseThreshold(), lowLossSteps,
                    String.format("%.4f", lossD), iteration + 1);
            return true;
        }
        return false;
    }

    int lowLossSteps() {
        return lowLossSteps;
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        requireInitialized();
        out.writeInt(STATE_VERSION);
        out.writeInt(numClasses);
        out.writeInt(p.ndf());
        out.writeInt(p.classifierStride());
        discriminator.saveParameters(out);
        updater.save(out);
        out.writeInt(lowLossSteps);
        out.writeBoolean(collapseWarned);
    }

    @Override
    public void loadState(DataInputStream in, String source) throws IOException {
        requireInitialized();
        try {
            int version = in.readInt();
            if (version != STATE_VERSION) {
                throw new SslsegException(source + ": seg-gan state of version " + version + ", this build reads "
                        + STATE_VERSION);
            }
            int classes = in.readInt();
            int ndf = in.readInt();
            int stride = in.readInt();
            if (classes != numClasses || ndf != p.ndf() || stride != p.classifierStride()) {
                throw new SslsegException(source + ": the seg-gan discriminator saved there has " + classes
                        + " classes, ndf " + ndf + " and classifierStride " + stride + "; this run's has " + numClasses
                        + ", " + p.ndf() + " and " + p.classifierStride() + ": was the config changed since?");
            }
            List<Shape> shapes = discriminator.getParameters().values().stream().map(q -> q.getArray().getShape())
                    .toList();
            try {
                Layers.loadParameters(discriminator, manager, in);
            } catch (MalformedModelException | IllegalArgumentException e) {
                throw new SslsegException(source + ": the seg-gan discriminator saved there does not fit this one ("
                        + e.getMessage() + ")");
            }
            List<Shape> loaded = discriminator.getParameters().values().stream().map(q -> q.getArray().getShape())
                    .toList();
            if (!shapes.equals(loaded)) {
                throw new SslsegException(source + ": the seg-gan discriminator saved there has parameter shapes "
                        + loaded + ", this one " + shapes);
            }
            updater.load(in, source);
            lowLossSteps = in.readInt();
            collapseWarned = in.readBoolean();
        } catch (EOFException e) {
            throw new IOException(source + ": the seg-gan state is truncated", e);
        }
    }

    private void requireInitialized() {
        if (updater == null) {
            throw new IllegalStateException("loss term seg-gan is not initialised");
        }
    }

    /** D's logits at every input pixel, N x 1 x H x W. */
    private NDArray discriminate(StepContext ctx, NDArray probabilities) {
        return ctx.forward(discriminator, new NDList(probabilities)).head();
    }

    /** Logits at the label size (N x H x W), resized as the reference's interp does when they differ. */
    private static NDArray atSize(NDArray logits, Shape labelShape) {
        return FcDiscriminator.resizeAlignCorners(logits, (int) labelShape.get(1), (int) labelShape.get(2));
    }

    private static NDArray plus(NDArray sum, NDArray part) {
        return sum == null ? part : sum.add(part);
    }
}
