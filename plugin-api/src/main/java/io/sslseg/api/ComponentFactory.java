package io.sslseg.api;

import java.util.function.BiFunction;

/**
 * Builds one registered component from its typed parameters.
 *
 * <p>The parameters are a record: the platform binds the component's YAML block onto {@link #defaults()},
 * rejecting unknown keys and bad values with the key path. Range checks belong in the record's compact
 * constructor (throw {@link IllegalArgumentException} naming the field).
 *
 * <p>Each kind's factory interface (e.g. {@link io.sslseg.api.ssl.PerturbationFactory#of}) has a static
 * {@code of(paramsType, defaults, summary, create)} that builds one from its {@link Parts}, so a component needs one
 * expression rather than a factory class. What those share lives here ({@link Parts}, {@link FromParts}); each
 * {@code of} keeps only what differs, its kind's types: one class cannot implement two kinds, as they are
 * different parameterisations of this interface.
 *
 * @param <P> the parameter record
 * @param <C> what the platform tells the component about its surroundings (channels, classes, ...)
 * @param <T> what it builds
 */
public interface ComponentFactory<P extends Record, C, T> {

    Class<P> paramsType();

    /** The parameters a config gets when it names the component and sets nothing else. */
    P defaults();

    /** One line for {@code sslseg plugins list/describe}. */
    String summary();

    T create(P params, C context);

    /** A component's four parts, as a kind's {@code of(...)} receives them. */
    record Parts<P extends Record, C, T>(Class<P> paramsType, P defaults, String summary, BiFunction<P, C, T> create) {}

    /** A factory that is its {@link Parts}: a kind's {@code of(...)} implements its interface and this. */
    interface FromParts<P extends Record, C, T> extends ComponentFactory<P, C, T> {
        Parts<P, C, T> parts();

        @Override
        default Class<P> paramsType() {
            return parts().paramsType();
        }

        @Override
        default P defaults() {
            return parts().defaults();
        }

        @Override
        default String summary() {
            return parts().summary();
        }

        @Override
        default T create(P params, C context) {
            return parts().create().apply(params, context);
        }
    }
}
