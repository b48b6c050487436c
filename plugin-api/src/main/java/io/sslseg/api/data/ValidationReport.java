package io.sslseg.api.data;

import java.util.List;

/**
 * What a scan found: {@code summary} lines (counts, histograms), {@code warnings} (usable but worth knowing)
 * and {@code errors} (the dataset must not be trained on).
 */
public record ValidationReport(List<String> summary, List<String> warnings, List<String> errors) {
    public ValidationReport {
        summary = List.copyOf(summary);
        warnings = List.copyOf(warnings);
        errors = List.copyOf(errors);
    }

    public boolean usable() {
        return errors.isEmpty();
    }
}
