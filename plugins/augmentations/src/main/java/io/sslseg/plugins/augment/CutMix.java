package io.sslseg.plugins.augment;

import io.sslseg.api.augment.AugmentationFactory;
import io.sslseg.api.augment.BatchMix;
import io.sslseg.api.augment.Mix;
import io.sslseg.api.data.SplitMix64;

/**
 * CutMix between the images of a batch, as UniMatch draws its boxes: with probability {@code probability} an image
 * receives a box of another image, the box's area a uniform fraction in [areaMin, areaMax] of the image and its aspect
 * ratio (height / width) uniform in [ratioMin, 1 / ratioMin], placed uniformly where it fits. The partner of image
 * {@code i} is {@code (i + k) mod n} for one shift {@code k} in [1, n - 1] drawn per batch, so no image is its own
 * partner. Pseudo-labels, confidences and ignore masks go through the same {@link Mix}, so they stay consistent with
 * the pixels.
 *
 * <p>Draws, in order: the shift; then per image: apply or not, the area, and (ratio, corner) until the box fits
 * (at most {@value #ATTEMPTS} tries, then the largest box of that area that fits, at the last corner clamped).
 */
public final class CutMix implements BatchMix {
    static final int ATTEMPTS = 100;

    /**
     * @param probability of mixing an image
     * @param areaMin the box's smallest share of the image (UniMatch 0.02)
     * @param areaMax the box's largest share of the image (UniMatch 0.4)
     * @param ratioMin the smallest aspect ratio (UniMatch 0.3; the largest is 1 / ratioMin)
     */
    public record Params(double probability, double areaMin, double areaMax, double ratioMin) {
        public Params {
            Pixels.checkProbability(probability);
            if (!(areaMin > 0 && areaMax >= areaMin && areaMax <= 1)) {
                throw new IllegalArgumentException("need 0 < areaMin <= areaMax <= 1, got " + areaMin + ", " + areaMax);
            }
            if (!(ratioMin > 0 && ratioMin <= 1)) {
                throw new IllegalArgumentException("ratioMin must be in (0, 1], got " + ratioMin);
            }
        }
    }

    public static AugmentationFactory<Params> factory() {
        return AugmentationFactory.of(Params.class, new Params(0.5, 0.02, 0.4, 0.3),
                "CutMix: a box of another image of the batch, targets mixed alike", (p, ctx) -> new CutMix(p));
    }

    private final Params p;

    CutMix(Params p) {
        this.p = p;
    }

    @Override
    public Mix draw(int n, int height, int width, SplitMix64 rng) {
        int[] partner = new int[n];
        int shift = n > 1 ? rng.nextIntClosed(1, n - 1) : 0;
        for (int i = 0; i < n; i++) {
            partner[i] = (i + shift) % n;
        }
        byte[] region = new byte[n * height * width];
        if (n == 1) {
            return new Mix(n, height, width, partner, region);
        }
        for (int i = 0; i < n; i++) {
            if (rng.nextDouble() >= p.probability()) {
                continue;
            }
            double area = rng.nextDouble(p.areaMin(), p.areaMax()) * height * width;
            int bw = 0;
            int bh = 0;
            int x = 0;
            int y = 0;
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                double ratio = rng.nextDouble(p.ratioMin(), 1 / p.ratioMin());
                bw = (int) Math.sqrt(area / ratio);
                bh = (int) Math.sqrt(area * ratio);
                x = rng.nextIntClosed(0, width);
                y = rng.nextIntClosed(0, height);
                if (x + bw <= width && y + bh <= height) {
                    break;
                }
                if (attempt == ATTEMPTS - 1) {
                    bw = Math.min(bw, width);
                    bh = Math.min(bh, height);
                    x = Math.min(x, width - bw);
                    y = Math.min(y, height - bh);
                }
            }
            int base = i * height * width;
            for (int r = y; r < y + bh; r++) {
                for (int c = x; c < x + bw; c++) {
                    region[base + r * width + c] = 1;
                }
            }
        }
        return new Mix(n, height, width, partner, region);
    }
}
