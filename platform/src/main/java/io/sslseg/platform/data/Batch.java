package io.sslseg.platform.data;

import io.sslseg.api.data.AugmentView;
import io.sslseg.api.data.RgbImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * A batch as plain arrays, ready to become tensors.
 *
 * @param images N x 3 x H x W, normalised with the ImageNet mean and std ({@link #MEAN}, {@link #STD})
 * @param masks N x H x W class ids (255 = ignore), or null when no sample in the batch has a mask
 * @param tags per sample its image-level tags, or null where it has none (the list itself is never null)
 * @param views per sample where its crop came from in the source image
 */
public record Batch(int n, int height, int width, float[] images, byte[] masks, List<String> ids,
        List<Set<Integer>> tags, List<AugmentView> views) {
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    public Batch {
        int pixels = height * width;
        if (n < 1 || images.length != n * 3 * pixels || (masks != null && masks.length != n * pixels)
                || ids.size() != n || tags.size() != n || views.size() != n) {
            throw new IllegalArgumentException("inconsistent batch of " + n + " x " + height + "x" + width);
        }
        ids = List.copyOf(ids);
        views = List.copyOf(views);
        tags = Collections.unmodifiableList(new ArrayList<>(tags)); // List.copyOf refuses the null entries
    }

    /** The normalised value of a channel value in [0, 255]. */
    static float normalise(float value, int channel) {
        return (value / 255f - MEAN[channel]) / STD[channel];
    }

    /** Writes an image unchanged in size as normalised CHW floats at {@code offset}. */
    public static void writeImage(RgbImage image, float[] out, int offset) {
        int pixels = image.width() * image.height();
        byte[] rgb = image.rgb();
        for (int i = 0; i < pixels; i++) {
            for (int c = 0; c < 3; c++) {
                out[offset + c * pixels + i] = normalise(rgb[i * 3 + c] & 0xFF, c);
            }
        }
    }
}
