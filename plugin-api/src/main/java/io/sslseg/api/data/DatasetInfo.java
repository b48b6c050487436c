package io.sslseg.api.data;

import java.util.List;

/**
 * @param identity what makes runs comparable: name, parameters, seeds and data source, recorded in the run folder
 * @param classNames class names by id, background (id 0) included
 */
public record DatasetInfo(String identity, List<String> classNames) {
    public DatasetInfo {
        classNames = List.copyOf(classNames);
        if (classNames.size() < 2 || classNames.size() > 255) {
            throw new IllegalArgumentException("a dataset needs 2..255 classes, got " + classNames.size());
        }
    }

    public int numClasses() {
        return classNames.size();
    }
}
