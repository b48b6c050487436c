package io.sslseg.plugins.augment;

import io.sslseg.api.augment.AugmentationFactory;
import io.sslseg.api.data.SplitMix64;

/**
 * torchvision's ColorJitter applied with a probability (UniMatch's strong view: {@code RandomApply([ColorJitter(0.5,
 * 0.5, 0.5, 0.25)], p=0.8)}): brightness, contrast, saturation and hue, each with a factor drawn uniformly, in a
 * random order. Brightness scales the pixels; contrast blends with the image's mean luma; saturation with each
 * pixel's luma; hue rotates the HSV hue by a fraction of a turn. Results are clamped to [0, 1].
 *
 * <p>Draws, in order: apply or not; the order of the four; then per adjustment its factor (an adjustment whose range
 * is 0 draws nothing).
 */
public final class ColorJitter extends Sometimes {

    /**
     * @param probability of jittering an image at all
     * @param brightness factor in [max(0, 1 - b), 1 + b]
     * @param contrast factor in [max(0, 1 - c), 1 + c]
     * @param saturation factor in [max(0, 1 - s), 1 + s]
     * @param hue shift in [-h, h] turns, h in [0, 0.5]
     */
    public record Params(double probability, double brightness, double contrast, double saturation, double hue) {
        public Params {
            Pixels.checkProbability(probability);
            if (!(brightness >= 0) || !(contrast >= 0) || !(saturation >= 0)) {
                throw new IllegalArgumentException("brightness, contrast and saturation must be >= 0");
            }
            if (!(hue >= 0 && hue <= 0.5)) {
                throw new IllegalArgumentException("hue must be in [0, 0.5], got " + hue);
            }
        }
    }

    public static AugmentationFactory<Params> factory() {
        return AugmentationFactory.of(Params.class, new Params(0.8, 0.5, 0.5, 0.5, 0.25),
                "colour jitter (brightness, contrast, saturation, hue in random order) with a probability",
                (p, ctx) -> new ColorJitter(p));
    }

    private final Params p;

    ColorJitter(Params p) {
        super(p.probability());
        this.p = p;
    }

    @Override
    void change(float[] chw, int offset, int height, int width, SplitMix64 rng) {
        int plane = height * width;
        int[] order = rng.permutation(4);
        for (int op : order) {
            switch (op) {
                case 0 -> {
                    if (p.brightness() > 0) {
                        Pixels.blend(chw, offset, plane, factor(rng, p.brightness()), null, 0f);
                    }
                }
                case 1 -> {
                    if (p.contrast() > 0) {
                        float f = factor(rng, p.contrast());
                        double sum = 0;
                        for (int i = 0; i < plane; i++) {
                            sum += Pixels.luma(chw, offset, plane, i);
                        }
                        Pixels.blend(chw, offset, plane, f, null, (float) (sum / plane));
                    }
                }
                case 2 -> {
                    if (p.saturation() > 0) {
                        float f = factor(rng, p.saturation());
                        float[] gray = new float[plane];
                        for (int i = 0; i < plane; i++) {
                            gray[i] = Pixels.luma(chw, offset, plane, i);
                        }
                        Pixels.blend(chw, offset, plane, f, gray, 0f);
                    }
                }
                default -> {
                    if (p.hue() > 0) {
                        rotateHue(chw, offset, plane, (float) rng.nextDouble(-p.hue(), p.hue()));
                    }
                }
            }
        }
    }

    private static float factor(SplitMix64 rng, double range) {
        return (float) rng.nextDouble(Math.max(0, 1 - range), 1 + range);
    }

    /** RGB -> HSV, hue + shift (mod 1), -> RGB, per pixel. */
    static void rotateHue(float[] chw, int offset, int plane, float shift) {
        for (int i = 0; i < plane; i++) {
            int ir = offset + i;
            int ig = ir + plane;
            int ib = ig + plane;
            float r = chw[ir];
            float g = chw[ig];
            float b = chw[ib];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float delta = max - min;
            if (delta <= 0f) {
                continue; // gray: no hue to rotate
            }
            float h;
            if (max == r) {
                h = ((g - b) / delta) / 6f;
            } else if (max == g) {
                h = ((b - r) / delta + 2f) / 6f;
            } else {
                h = ((r - g) / delta + 4f) / 6f;
            }
            h += shift;
            h -= (float) Math.floor(h);
            float s = delta / max;
            float v = max;
            float h6 = h * 6f;
            int sector = Math.min(5, (int) h6);
            float f = h6 - sector;
            float pv = v * (1 - s);
            float qv = v * (1 - s * f);
            float tv = v * (1 - s * (1 - f));
            switch (sector) {
                case 0 -> set(chw, ir, ig, ib, v, tv, pv);
                case 1 -> set(chw, ir, ig, ib, qv, v, pv);
                case 2 -> set(chw, ir, ig, ib, pv, v, tv);
                case 3 -> set(chw, ir, ig, ib, pv, qv, v);
                case 4 -> set(chw, ir, ig, ib, tv, pv, v);
                default -> set(chw, ir, ig, ib, v, pv, qv);
            }
        }
    }

    private static void set(float[] chw, int ir, int ig, int ib, float r, float g, float b) {
        chw[ir] = Pixels.clamp(r);
        chw[ig] = Pixels.clamp(g);
        chw[ib] = Pixels.clamp(b);
    }
}
