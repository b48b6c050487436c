package io.sslseg.plugins.augment;

import io.sslseg.api.augment.AugmentationFactory;
import io.sslseg.api.data.SplitMix64;

/**
 * With probability {@code probability}, a Gaussian blur of standard deviation drawn uniformly in [sigmaMin, sigmaMax]
 * pixels (UniMatch: p 0.5, sigma 0.1..2 on crops of 321-513 px). Separable, the kernel cut at 3 sigma and normalised,
 * edges mirrored (PyTorch's 'reflect').
 */
public final class GaussianBlur extends Sometimes {

    /**
     * @param probability of blurring an image
     * @param sigmaMin the smallest standard deviation, in pixels
     * @param sigmaMax the largest standard deviation, in pixels (each image draws one uniformly between the two)
     */
    public record Params(double probability, double sigmaMin, double sigmaMax) {
        public Params {
            Pixels.checkProbability(probability);
            if (!(sigmaMin > 0 && sigmaMax >= sigmaMin && sigmaMax <= 32)) {
                throw new IllegalArgumentException("need 0 < sigmaMin <= sigmaMax <= 32, got " + sigmaMin + ", " + sigmaMax);
            }
        }
    }

    public static AugmentationFactory<Params> factory() {
        // sigma up to 1 px rather than UniMatch's 2: FashionScenes' 56-64 px scenes are 5-9 times smaller than its crops
        return AugmentationFactory.of(Params.class, new Params(0.5, 0.1, 1.0),
                "Gaussian blur with a random sigma, with a probability", (p, ctx) -> new GaussianBlur(p));
    }

    private final Params p;

    GaussianBlur(Params p) {
        super(p.probability());
        this.p = p;
    }

    @Override
    void change(float[] chw, int offset, int height, int width, SplitMix64 rng) {
        double sigma = p.sigmaMin() == p.sigmaMax() ? p.sigmaMin() : rng.nextDouble(p.sigmaMin(), p.sigmaMax());
        blur(chw, offset, height, width, kernel(sigma));
    }

    /** The normalised 1-d kernel of radius ceil(3 sigma). */
    static float[] kernel(double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] k = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            double v = Math.exp(-(i * i) / (2 * sigma * sigma));
            k[i + radius] = (float) v;
            sum += v;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }

    static void blur(float[] chw, int offset, int height, int width, float[] k) {
        int radius = k.length / 2;
        int plane = height * width;
        float[] tmp = new float[plane];
        for (int c = 0; c < 3; c++) {
            int o = offset + c * plane;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float acc = 0;
                    for (int j = -radius; j <= radius; j++) {
                        acc += k[j + radius] * chw[o + y * width + reflect(x + j, width)];
                    }
                    tmp[y * width + x] = acc;
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float acc = 0;
                    for (int j = -radius; j <= radius; j++) {
                        acc += k[j + radius] * tmp[reflect(y + j, height) * width + x];
                    }
                    chw[o + y * width + x] = Pixels.clamp(acc);
                }
            }
        }
    }

    /** Mirror index without repeating the edge; folds as often as needed for kernels wider than the image. */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int r = Math.floorMod(i, period);
        return r < n ? r : period - r;
    }
}
