package io.sslseg.api.data;

import io.sslseg.api.Progress;

/** A dataset that can scan its files for problems ({@code sslseg data validate}, and before training). */
public interface Validatable {
    ValidationReport validate(Progress progress);
}
