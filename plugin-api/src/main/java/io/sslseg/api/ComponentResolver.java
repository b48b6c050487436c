package io.sslseg.api;

/**
 * Builds a named component from a config block ({@code type:} plus parameters), for components that are
 * made of other components (a loss term's perturbations, a pseudo-labeller's encoder).
 */
public interface ComponentResolver {
    /**
     * @param keyPath where the block sits in the config, for error messages (e.g. {@code loss.terms[0].consistency})
     */
    <C, T> T build(Kind<? extends ComponentFactory<?, C, T>> kind, Object block, String keyPath, C context);
}
