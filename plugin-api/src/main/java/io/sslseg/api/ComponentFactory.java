package io.sslseg.api;

/**
 * Builds one registered component from its typed parameters.
 *
 * <p>The parameters are a record: the platform binds the component's YAML block onto {@link #defaults()},
 * rejecting unknown keys and bad values with the key path. Range checks belong in the record's compact
 * constructor (throw {@link IllegalArgumentException} naming the field).
 *
 * <p>Each kind's factory interface (e.g. {@link io.sslseg.api.ssl.PerturbationFactory#of}) has a static
 * {@code of(paramsType, defaults, summary, create)} that builds one from its parts, so a component needs one
 * expression rather than a factory class. Each {@code of} has its own small record: one class cannot implement
 * two kinds (they are different parameterisations of this interface), and the kinds live in different
 * packages, so no package-private helper could serve them all.
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
}
