package io.sslseg.voc;

/**
 * The parameters of the {@code voc} dataset.
 *
 * @param root the VOC2012 folder, or a folder containing {@code VOCdevkit/VOC2012} (required)
 * @param labeled size of the pixel-labelled subset, read from {@code labeled_N.txt} (sslseg) or
 *     {@code N_train_supervised.txt} (CCT); 0: the whole {@code train} list is labelled
 * @param train the list of the training pool in {@code ImageSets/Segmentation} ({@code train_aug} for SBD);
 *     the unlabelled images are the pool minus the labelled subset, unless CCT's
 *     {@code N_train_unsupervised.txt} names them
 * @param val the evaluation list
 * @param weak whether the unlabelled images also form the WEAK split, with their tags from {@code Annotations/}
 */
public record VocParams(String root, int labeled, String train, String val, boolean weak) {
    public static final VocParams DEFAULTS = new VocParams("", 0, "train", "val", false);

    public VocParams {
        root = root == null ? "" : root.strip();
        if (labeled < 0) {
            throw new IllegalArgumentException("labeled must be >= 0 (0: the whole train list), got " + labeled);
        }
        checkListName("train", train);
        checkListName("val", val);
    }

    private static void checkListName(String field, String value) {
        if (value == null || !value.matches("[A-Za-z0-9_.-]+") || value.startsWith(".")) {
            throw new IllegalArgumentException(field + " must name a list in ImageSets/Segmentation (e.g. 'train',"
                    + " without folder or .txt), got '" + value + "'");
        }
    }
}
