package io.sslseg.api;

import com.google.inject.TypeLiteral;

/**
 * One extension point: its name in messages and configs, and the factory type its Guice map holds.
 */
public record Kind<F extends ComponentFactory<?, ?, ?>>(String name, TypeLiteral<F> factoryType) {
    @Override
    public String toString() {
        return name;
    }
}
