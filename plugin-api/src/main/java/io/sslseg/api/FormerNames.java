package io.sslseg.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Earlier names of a parameter-record field. A config (or an older run's config.yaml) that still writes one is read
 * as if it wrote the current name, with a deprecation warning naming both; writing both is an error. Lets a key be
 * renamed without breaking the configs and run folders that use it.
 *
 * <pre>{@code public record MyParams(@FormerNames("scaleByLabelledFraction") boolean scaleByLabeledFraction) {}}</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface FormerNames {
    String[] value();
}
