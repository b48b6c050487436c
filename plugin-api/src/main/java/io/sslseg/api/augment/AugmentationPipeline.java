package io.sslseg.api.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.sslseg.api.ComponentResolver;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.Split;
import io.sslseg.api.data.SplitMix64;
import io.sslseg.api.method.StepContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A method's own view of a batch: per-image pixel augmentations in the configured order, then at most one batch
 * mix. Built from a list of component blocks in the method's parameters ({@code strong: [{type: color-jitter},
 * {type: blur}, {type: cutmix}]}); draws are seeded per step and per image, so they are the same on resume.
 */
public final class AugmentationPipeline {
    private static final long MIX_STREAM = 0x4D49_5821L;

    private final List<PixelAugmentation> perImage;
    private final BatchMix mix;

    public AugmentationPipeline(List<PixelAugmentation> perImage, BatchMix mix) {
        this.perImage = List.copyOf(perImage);
        this.mix = mix;
    }

    /**
     * Builds each block under {@link Components#AUGMENTATION}; errors name {@code keyPath[i]}.
     *
     * @throws SslsegException when two batch mixes are listed
     */
    public static AugmentationPipeline build(ComponentResolver resolver, List<Map<String, Object>> blocks,
            String keyPath, AugmentationContext context) {
        List<PixelAugmentation> pixels = new ArrayList<>();
        BatchMix mix = null;
        for (int i = 0; i < blocks.size(); i++) {
            String key = keyPath + "[" + i + "]";
            Augmentation a = resolver.build(Components.AUGMENTATION, blocks.get(i), key, context);
            if (a instanceof PixelAugmentation p) {
                pixels.add(p);
            } else if (a instanceof BatchMix m) {
                if (mix != null) {
                    throw new SslsegException(key + ": a second batch mix; list at most one");
                }
                mix = m;
            }
        }
        return new AugmentationPipeline(pixels, mix);
    }

    /**
     * UniMatch's strong view, by component name: colour jitter (p 0.8), grayscale (p 0.2), blur (p 0.5), then CutMix
     * (p 0.5), each with its own defaults (the {@code augmentations} plugin provides them).
     */
    public static List<Map<String, Object>> strongDefaults() {
        return List.of(block("color-jitter"), block("grayscale"), block("blur"), block("cutmix"));
    }

    /** A parameter's list of blocks, checked to name a type each (a null list is empty). */
    public static List<Map<String, Object>> checkBlocks(List<Map<String, Object>> blocks) {
        if (blocks == null) {
            return List.of();
        }
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i) == null || !(blocks.get(i).get("type") instanceof String)) {
                throw new IllegalArgumentException("[" + i + "]: each augmentation needs a 'type'");
            }
        }
        return List.copyOf(blocks);
    }

    private static Map<String, Object> block(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        return m;
    }

    public boolean mixes() {
        return mix != null;
    }

    /**
     * The per-image augmentations applied to a copy of {@code pixels} (N x 3 x H x W in [0, 1]); image {@code i}
     * draws from a generator seeded by ({@code seed}, i). The result is on {@code pixels}' manager and device,
     * outside any graph.
     */
    public NDArray photometric(NDArray pixels, long seed) {
        Shape s = pixels.getShape();
        int n = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new IllegalArgumentException("expected N x 3 x H x W pixels, got " + s);
        }
        if (perImage.isEmpty()) {
            return pixels.stopGradient();
        }
        float[] data = pixels.toFloatArray();
        for (int i = 0; i < n; i++) {
            SplitMix64 rng = SplitMix64.of(seed, i);
            for (PixelAugmentation a : perImage) {
                a.apply(data, i * 3 * h * w, h, w, rng);
            }
        }
        return pixels.getManager().create(data, s).toDevice(pixels.getDevice(), false);
    }

    /**
     * A strong view of this step's batch of {@code split}: its pixels through the per-image augmentations, then the
     * batch mix, normalised for the network. Views drawn with different {@code stream}s differ (UniMatch's two).
     */
    public View view(StepContext ctx, Split split, long stream) {
        NDArray pixels = ctx.pixels(split);
        Shape s = pixels.getShape();
        NDArray photometric = photometric(pixels, ctx.seed(stream));
        Mix m = drawMix((int) s.get(0), (int) s.get(2), (int) s.get(3), ctx.seed(stream ^ MIX_STREAM));
        return new View(ctx.normalization().normalise(m.apply(photometric)), m);
    }

    /**
     * @param images the view, normalised, N x 3 x H x W
     * @param mix how its samples were mixed: apply it to every per-pixel target of the batch
     */
    public record View(NDArray images, Mix mix) {}

    /** This step's mix of a batch of {@code n} images (the identity when no batch mix is configured). */
    public Mix drawMix(int n, int height, int width, long seed) {
        return mix == null ? Mix.identity(n, height, width) : mix.draw(n, height, width, SplitMix64.of(seed, MIX_STREAM));
    }
}
