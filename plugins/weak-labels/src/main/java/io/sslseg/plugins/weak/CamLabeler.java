package io.sslseg.plugins.weak;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.sslseg.api.Components;
import io.sslseg.api.Progress;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.RgbImage;
import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.SplitMix64;
import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.nn.ScalarOps;
import io.sslseg.api.nn.SpatialOps;
import io.sslseg.api.nn.Updater;
import io.sslseg.api.weak.PseudoLabelContext;
import io.sslseg.api.weak.PseudoLabeler;
import io.sslseg.api.weak.PseudoLabelerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pseudo-labels from class activation maps (IRN's train_cam and make_cam): a multi-label
 * classifier (encoder, global average pooling, a 1x1 conv to the foreground classes without bias) learns the
 * weak split's tags with the multi-label soft-margin loss; each tagged class's map is ReLU(1x1 conv) on the
 * encoder's last features, summed over scales and the mirrored image, resized to the image and divided by
 * its maximum; {@link CamThresholds} turns the maps into labels.
 *
 * <p>Deviations: the reference fine-tunes an ImageNet ResNet-50 with frozen BN and early layers; nothing
 * pretrained exists here, so the whole encoder trains from scratch (AdamW), with BN in training mode.
 */
final class CamLabeler implements PseudoLabeler {
    private static final Logger LOG = LoggerFactory.getLogger(CamLabeler.class);
    private final CamParams p;

    CamLabeler(CamParams p) {
        this.p = p;
    }

    static PseudoLabelerFactory<CamParams> factory() {
        return PseudoLabelerFactory.of(CamParams.class, CamParams.defaults(),
                "pixel pseudo-labels from a tag classifier's class activation maps (thresholds 0.30 / 0.05)",
                CamLabeler::new);
    }

    @Override
    public void label(PseudoLabelContext ctx, Sink sink) {
        SampleList samples = ctx.samples();
        if (samples.size() == 0) {
            throw new SslsegException("pseudoLabels: the weak split is empty");
        }
        int classes = ctx.numClasses() - 1;
        NDManager m = ctx.manager();
        Encoder encoder = ctx.resolver().build(Components.ENCODER, p.encoder(), "pseudoLabels.encoder", new EncoderContext(3));
        Block backbone = encoder.block();
        Block classifier = Layers.conv2d(classes, 1, 1, 1, false);
        RgbImage first = samples.load(0).image();
        backbone.initialize(m, DataType.FLOAT32, new Shape(1, 3, first.height(), first.width()));
        classifier.initialize(m, DataType.FLOAT32, new Shape(1, encoder.features().last().channels(), 1, 1));
        PairList<String, Parameter> params = new PairList<>();
        backbone.getParameters().forEach(e -> params.add("encoder." + e.getKey(), e.getValue()));
        classifier.getParameters().forEach(e -> params.add("classifier." + e.getKey(), e.getValue()));
        train(ctx, backbone, classifier, ctx.adamW(params, p.weightDecay()), classes);
        infer(ctx, backbone, classifier, classes, sink);
    }

    private void train(PseudoLabelContext ctx, Block backbone, Block classifier, Updater opt,
            int classes) {
        SampleList samples = ctx.samples();
        SplittableRandom random = new SplittableRandom(SplitMix64.mix(ctx.seed() ^ 0xCA4L));
        int[] order = new int[samples.size()];
        int cursor = order.length;
        Progress progress = ctx.progress();
        progress.start("cam classifier", p.iterations());
        double recent = 0;
        for (int it = 0; it < p.iterations(); it++) {
            List<RgbImage> images = new ArrayList<>();
            float[] targets = new float[p.batchSize() * classes];
            for (int b = 0; b < p.batchSize(); b++) {
                if (cursor == order.length) {
                    shuffle(order, random);
                    cursor = 0;
                }
                Sample s = samples.load(order[cursor++]);
                for (int c : tags(s)) {
                    targets[b * classes + c - 1] = 1;
                }
                images.add(random.nextBoolean() ? mirrored(s.image()) : s.image());
            }
            try (NDManager sm = ctx.manager().newSubManager()) {
                ParameterStore ps = new ParameterStore(sm, false);
                NDArray y = sm.create(targets, new Shape(p.batchSize(), classes));
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray features = last(backbone.forward(ps, new NDList(ctx.images(sm, images)), true));
                    NDArray pooled = features.mean(new int[] {3}, true).mean(new int[] {2}, true); // one axis at a time on PyTorch
                    NDArray logits = classifier.forward(ps, new NDList(pooled), true).head()
                            .reshape(p.batchSize(), classes);
                    NDArray loss = multiLabelSoftMargin(logits, y);
                    float value = loss.getFloat();
                    if (!Float.isFinite(value)) {
                        throw new SslsegException("pseudoLabels: the tag classifier's loss became " + value + " at step "
                                + (it + 1) + " (lower pseudoLabels.lr)");
                    }
                    recent = it == 0 ? value : 0.95 * recent + 0.05 * value;
                    gc.backward(loss);
                }
                opt.step(p.lr());
            }
            progress.advance(1);
            if ((it + 1) % 100 == 0 || it + 1 == p.iterations()) {
                LOG.info("cam classifier: step {} of {}, loss {}", it + 1, p.iterations(), String.format("%.4f", recent));
            }
        }
        progress.done();
    }

    private void infer(PseudoLabelContext ctx, Block backbone, Block classifier, int classes, Sink sink) {
        SampleList samples = ctx.samples();
        Progress progress = ctx.progress();
        progress.start("class activation maps", samples.size());
        for (int start = 0; start < samples.size(); start += p.inferenceBatchSize()) {
            int n = Math.min(p.inferenceBatchSize(), samples.size() - start);
            List<Sample> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                batch.add(samples.load(start + i));
            }
            int h = batch.get(0).image().height();
            int w = batch.get(0).image().width();
            float[] maps;
            try (NDManager sm = ctx.manager().newSubManager()) {
                ParameterStore ps = new ParameterStore(sm, false);
                NDArray x = ctx.images(sm, batch.stream().map(Sample::image).toList());
                NDArray sum = null;
                for (double scale : p.scales()) {
                    NDArray xs = scale == 1.0 ? x
                            : SpatialOps.resizeBilinear(x, (int) Math.round(h * scale), (int) Math.round(w * scale));
                    NDArray cam = cam(backbone, classifier, ps, xs, h, w);
                    sum = sum == null ? cam : sum.add(cam);
                    if (p.flip()) {
                        sum = sum.add(cam(backbone, classifier, ps, xs.flip(3), h, w).flip(3));
                    }
                }
                maps = sum.toFloatArray();
            }
            int pixels = h * w;
            for (int i = 0; i < n; i++) {
                Sample s = batch.get(i);
                float[][] perClass = new float[classes][pixels];
                for (int c = 0; c < classes; c++) {
                    System.arraycopy(maps, (i * classes + c) * pixels, perClass[c], 0, pixels);
                }
                CamThresholds.normaliseByMax(perClass);
                sink.accept(start + i, CamThresholds.label(perClass, tags(s), w, h, p.fgThreshold(), p.bgThreshold()));
            }
            progress.advance(n);
        }
        progress.done();
    }

    /** ReLU(1x1 conv) of the last features, resized to h x w: N x classes x h x w. */
    private static NDArray cam(Block backbone, Block classifier, ParameterStore ps, NDArray x, int h, int w) {
        NDArray features = last(backbone.forward(ps, new NDList(x), false));
        NDArray cam = ScalarOps.maximum(classifier.forward(ps, new NDList(features), false).head(), 0);
        return SpatialOps.resizeBilinear(cam, h, w);
    }

    /** mean over samples and classes of -[y log sigmoid(x) + (1-y) log sigmoid(-x)] = softplus(x) - y x. */
    static NDArray multiLabelSoftMargin(NDArray logits, NDArray targets) {
        // softplus(x) = max(x, 0) + log(1 + exp(-|x|)), stable for large |x|
        NDArray softplus = ScalarOps.maximum(logits, 0).add(logits.abs().neg().exp().add(1f).log());
        return softplus.sub(targets.mul(logits)).mean();
    }

    private static NDArray last(NDList stages) {
        return stages.get(stages.size() - 1);
    }

    private static Set<Integer> tags(Sample s) {
        if (s.tags() == null) {
            throw new SslsegException("pseudoLabels: weak sample " + s.id() + " has no image-level tags");
        }
        return s.tags();
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** The image mirrored left-right. */
    static RgbImage mirrored(RgbImage image) {
        int w = image.width();
        byte[] src = image.rgb();
        byte[] out = new byte[src.length];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, (y * w + x) * 3, out, (y * w + (w - 1 - x)) * 3, 3);
            }
        }
        return new RgbImage(w, image.height(), out);
    }
}
