package io.sslseg.api.data;

import java.util.Set;

/**
 * One image and whatever labels it has: {@code mask} is null for unlabelled and weak samples, {@code tags}
 * (foreground class ids present in the image) is null when the dataset has no image-level labels for it.
 */
public record Sample(String id, RgbImage image, LabelMask mask, Set<Integer> tags) {
    public Sample {
        if (mask != null && (mask.width() != image.width() || mask.height() != image.height())) {
            throw new IllegalArgumentException("sample " + id + ": mask " + mask.width() + "x" + mask.height()
                    + " does not match image " + image.width() + "x" + image.height());
        }
        tags = tags == null ? null : Set.copyOf(tags);
    }
}
