package io.sslseg.api;

/**
 * Builds one registered component from its typed parameters.
 *
 * <p>The parameters are a record: the platform binds the component's YAML block onto {@link #defaults()},
 * rejecting unknown keys and bad values with the key path. Range checks belong in the record's compact
 * constructor (throw {@link IllegalArgumentException} naming the field).
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
