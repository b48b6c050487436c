package io.sslseg.api.data.voc;

import io.sslseg.api.data.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ImageSets/Segmentation/*.txt}: one entry per line, either an id ({@code 2007_000032}) or, in the
 * CCT/DeepLab style, an image and a mask path relative to the VOC folder
 * ({@code /JPEGImages/x.jpg /SegmentationClassAug/x.png}).
 *
 * <p>Entries are untrusted: anything that could leave the dataset folder ({@code ..}, an absolute path, a
 * folder that is not a VOC one) is rejected while parsing, so no code path ever opens it.
 */
public final class VocLists {
    private static final Set<String> MASK_FOLDERS = Set.of(VocLayout.MASKS, VocLayout.MASKS_AUG);
    /** Top-level folders of VOC2012: a CCT-style '/X/...' path starting with one of them is root-relative. */
    private static final Set<String> VOC_FOLDERS = Set.of(VocLayout.IMAGES, VocLayout.MASKS, VocLayout.MASKS_AUG,
            VocLayout.ANNOTATIONS, "ImageSets", "SegmentationObject");

    private VocLists() {}

    /**
     * One usable entry.
     *
     * @param line 1-based line number, for messages
     * @param image the image path relative to the VOC folder, or null: look it up by id
     * @param mask the mask path relative to the VOC folder, or null: look it up by id
     */
    public record Entry(int line, String id, String image, String mask) {}

    /** A parsed list: its usable entries, and one message per rejected line ("line 5: ..."). */
    public record Listing(Path file, List<Entry> entries, List<String> rejected) {
        public Listing {
            entries = List.copyOf(entries);
            rejected = List.copyOf(rejected);
        }

        public List<String> ids() {
            return entries.stream().map(Entry::id).toList();
        }
    }

    public static Listing read(Path file) {
        List<Entry> entries = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        List<String> lines = readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String problem = null;
            String[] tokens = line.split("\\s+");
            if (tokens.length == 1) {
                problem = idProblem(tokens[0]);
                if (problem == null) {
                    entries.add(new Entry(i + 1, tokens[0], null, null));
                }
            } else if (tokens.length == 2) {
                String image = stripRoot(tokens[0]);
                String mask = stripRoot(tokens[1]);
                problem = pathProblem(tokens[0], image, Set.of(VocLayout.IMAGES));
                if (problem == null) {
                    problem = pathProblem(tokens[1], mask, MASK_FOLDERS);
                }
                if (problem == null) {
                    entries.add(new Entry(i + 1, baseName(image), image, mask));
                }
            } else {
                problem = "'" + line + "' is not an entry (an id, or an image path and a mask path)";
            }
            if (problem != null) {
                rejected.add("line " + (i + 1) + ": " + problem + "; rejected, not read");
            }
        }
        return new Listing(file, entries, rejected);
    }

    /** Writes one id (or any text) per line. */
    public static void write(Path file, List<String> lines) {
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException(file, "cannot write: " + e, e);
        }
    }

    /** The lines of a small text file, stripped, blank lines kept so indices stay line numbers. */
    public static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).toList();
        } catch (NoSuchFileException e) {
            throw new DataException(file, "file not found");
        } catch (IOException e) {
            throw new DataException(file, "cannot read: " + e, e);
        }
    }

    private static String idProblem(String id) {
        if (escapes(id)) {
            return "'" + id + "' escapes the dataset folder";
        }
        if (id.indexOf('/') >= 0 || id.indexOf('\\') >= 0 || id.indexOf('\0') >= 0 || id.equals(".")) {
            return "'" + id + "' is not an image id (ids are file names without folder or extension)";
        }
        return null;
    }

    private static String pathProblem(String original, String relative, Set<String> folders) {
        if (escapes(original)) {
            return "'" + original + "' escapes the dataset folder";
        }
        int slash = relative.indexOf('/');
        String folder = slash < 0 ? "" : relative.substring(0, slash);
        String name = slash < 0 ? relative : relative.substring(slash + 1);
        if (!folders.contains(folder)) {
            // A leading '/' followed by anything but a VOC folder is an absolute path, not CCT's convention.
            return original.startsWith("/") && !VOC_FOLDERS.contains(folder)
                    ? "'" + original + "' escapes the dataset folder (absolute path)"
                    : "'" + original + "' is not in " + String.join(" or ", folders.stream().sorted().toList()) + "/";
        }
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            return "'" + original + "' is not a file directly inside " + folder + "/";
        }
        return null;
    }

    private static boolean escapes(String s) {
        String unified = s.replace('\\', '/');
        if (unified.matches("^[A-Za-z]:.*") || unified.startsWith("//") || unified.startsWith("~")) {
            return true;
        }
        for (String part : unified.split("/")) {
            if (part.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** CCT writes paths relative to the VOC folder with a leading '/'. */
    private static String stripRoot(String path) {
        return path.startsWith("/") && !path.startsWith("//") ? path.substring(1) : path;
    }

    private static String baseName(String relative) {
        String name = relative.substring(relative.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
