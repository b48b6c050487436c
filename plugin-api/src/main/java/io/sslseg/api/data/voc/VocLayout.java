package io.sslseg.api.data.voc;

import io.sslseg.api.data.DataException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things live in a VOC2012-shaped folder. The writer and the reader both go through this record, so
 * the folder names exist once.
 *
 * @param root the folder holding {@code JPEGImages/}, {@code SegmentationClass/}, ... (VOC's "VOC2012")
 */
public record VocLayout(Path root) {
    public static final String IMAGES = "JPEGImages";
    public static final String MASKS = "SegmentationClass";
    /** The SBD-extended masks (10,582 training images), next to {@link #MASKS} when present. */
    public static final String MASKS_AUG = "SegmentationClassAug";
    public static final String ANNOTATIONS = "Annotations";
    public static final String LISTS = "ImageSets/Segmentation";
    /** sslseg's addition: class names, one per line, background first. Absent in the original VOC. */
    public static final String CLASSES = "classes.txt";
    /** sslseg's addition: one line saying what produced the folder (generator, parameters, source data). */
    public static final String ORIGIN = "origin.txt";

    public VocLayout {
        root = root.toAbsolutePath().normalize();
    }

    /**
     * Accepts the VOC2012 folder itself, or a folder containing {@code VOCdevkit/VOC2012} (what CCT's
     * {@code data_dir} points at).
     */
    public static VocLayout locate(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir, "no such folder (expected a VOC2012 folder, or one that contains"
                    + " VOCdevkit/VOC2012)");
        }
        if (Files.isDirectory(dir.resolve(IMAGES))) {
            return new VocLayout(dir);
        }
        Path nested = dir.resolve("VOCdevkit").resolve("VOC2012");
        if (Files.isDirectory(nested.resolve(IMAGES))) {
            return new VocLayout(nested);
        }
        throw new DataException(dir, "not a VOC folder: no " + IMAGES + "/ here nor in VOCdevkit/VOC2012/");
    }

    public Path images() {
        return root.resolve(IMAGES);
    }

    public Path masks() {
        return root.resolve(MASKS);
    }

    public Path augMasks() {
        return root.resolve(MASKS_AUG);
    }

    public Path annotations() {
        return root.resolve(ANNOTATIONS);
    }

    public Path lists() {
        return root.resolve(LISTS);
    }

    public Path list(String name) {
        return lists().resolve(name + ".txt");
    }

    public Path classes() {
        return root.resolve(CLASSES);
    }

    public Path origin() {
        return root.resolve(ORIGIN);
    }

    public Path annotation(String id) {
        return annotations().resolve(id + ".xml");
    }

    /** Resolves a root-relative path from a list entry, refusing anything that leaves the root. */
    public Path resolveInside(String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("'" + relative + "' escapes " + root);
        }
        return p;
    }

    /**
     * Refuses a file whose real location (symbolic links followed) is outside the root: a dataset reads only its own
     * folder. A missing file passes; reading it reports that.
     */
    public Path requireInside(Path file) {
        try {
            Path realRoot = root.toRealPath();
            Path real = file.toRealPath();
            if (!real.startsWith(realRoot)) {
                throw new DataException(file, "leads to " + real + " (a symbolic link), outside the dataset folder "
                        + realRoot + "; copy the file in or link the whole dataset folder instead");
            }
        } catch (java.nio.file.NoSuchFileException missing) {
            return file;
        } catch (java.io.IOException e) {
            throw new DataException(file, "cannot resolve: " + e.getMessage(), e);
        }
        return file;
    }
}
