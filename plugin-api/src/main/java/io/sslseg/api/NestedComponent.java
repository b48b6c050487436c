package io.sslseg.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a parameter-record field that holds the config block of another component ({@code type:} plus that
 * component's parameters), or a list of such blocks: a loss term's perturbations, a pseudo-labeller's encoder. The
 * config binder resolves and binds each block when it binds the record, exactly as it binds a top-level component,
 * so an unknown type, an unknown key or a bad value inside it is reported when the config is read (by {@code sslseg
 * check} too), with its full key path. The field itself stays the block, which the component builds with
 * {@link ComponentResolver} when it is created.
 *
 * <pre>{@code public record MyTermParams(@NestedComponent(kind = "consistency-loss") Map<String, Object> consistency) {}}</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface NestedComponent {
    /** The kind's name, as {@link Kind#name()} of one of {@link Components#KINDS} ({@code "perturbation"}). */
    String kind();

    /** Keys of each block that belong to the owner, not to the nested component (CCT's {@code count}). */
    String[] ownKeys() default {};
}
