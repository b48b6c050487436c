package io.sslseg.api.data.voc;

import io.sslseg.api.data.DataException;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a VOC2012-shaped folder: lossless PNG images in {@code JPEGImages/}, palette masks, annotation XML,
 * list files and {@code classes.txt}.
 *
 * <p>Everything goes into a hidden sibling folder ({@code .NAME.partial-*}) that {@link #commit} renames to
 * the requested name, so an interrupted export never leaves a folder that looks complete. {@link #close}
 * without a commit deletes the partial folder. {@link #writeSample} may be called from several threads.
 */
public final class VocWriter implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final VocLayout layout;
    private boolean committed;

    private VocWriter(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
        this.layout = new VocLayout(temp);
    }

    /** Starts an export to {@code outDir}, which must not exist yet or be an empty folder. */
    public static VocWriter create(Path outDir) {
        Path target = outDir.toAbsolutePath().normalize();
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            throw new DataException(target, "already exists and is not empty; remove it or choose another --out");
        }
        try {
            Path parent = target.getParent();
            Files.createDirectories(parent);
            Path temp = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
            VocLayout layout = new VocLayout(temp);
            for (Path dir : List.of(layout.images(), layout.masks(), layout.annotations(), layout.lists())) {
                Files.createDirectories(dir);
            }
            return new VocWriter(target, temp);
        } catch (IOException e) {
            throw new DataException(target, "cannot create the output folder: " + e, e);
        }
    }

    /** Writes one image, and its mask and annotation when given (null = this image has none). */
    public void writeSample(String id, RgbImage image, LabelMask mask, List<String> objectNames) {
        String imageName = id + ".png";
        VocImages.writePng(layout.images().resolve(imageName), image);
        if (mask != null) {
            VocImages.writeMask(layout.masks().resolve(id + ".png"), mask);
        }
        if (objectNames != null) {
            VocAnnotation.write(layout.annotation(id), imageName, image.width(), image.height(), objectNames);
        }
    }

    /** {@code ImageSets/Segmentation/NAME.txt}, one id per line. */
    public void writeList(String name, List<String> ids) {
        VocLists.write(layout.list(name), ids);
    }

    /** {@code classes.txt}: the class names by id, background first. */
    public void writeClasses(List<String> classNames) {
        VocLists.write(layout.classes(), classNames);
    }

    /** {@code origin.txt}: what produced this folder, so a reader can record it. */
    public void writeOrigin(String origin) {
        try {
            Files.writeString(layout.origin(), origin + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException(layout.origin(), "cannot write: " + e, e);
        }
    }

    /** Renames the finished folder to its final name; returns it. */
    public Path commit() {
        try {
            if (Files.exists(target)) {
                Files.delete(target); // an empty folder, checked in create()
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (DirectoryNotEmptyException e) {
            throw new DataException(target, "something else wrote into it during the export; remove it and export again");
        } catch (IOException e) {
            throw new DataException(target, "cannot rename " + temp + " to it: " + e, e);
        }
        committed = true;
        return target;
    }

    @Override
    public void close() {
        if (!committed) {
            // best effort: the folder is hidden and named as partial, so a leftover cannot be mistaken
            deleteTree(temp);
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new DataException(dir, "cannot list: " + e, e);
        }
    }

    /** Deletes a folder and everything in it; false where something could not be deleted. */
    public static boolean deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
