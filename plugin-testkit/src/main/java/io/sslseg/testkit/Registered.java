package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.util.Types;
import io.sslseg.api.ComponentFactory;
import io.sslseg.api.Kind;
import java.util.Map;

/** What a plugin's module registers, read back the way the platform reads it: from the Guice map of a kind. */
public final class Registered {
    private Registered() {}

    /** The components of one kind that {@code module} registers; fails if there are none. */
    public static <F extends ComponentFactory<?, ?, ?>> Map<String, F> components(Module module, Kind<F> kind) {
        Map<String, F> map = componentsIfAny(module, kind);
        assertFalse(map.isEmpty(), module.getClass().getName() + " registers no " + kind);
        return map;
    }

    /** The components of one kind that {@code module} registers, possibly none. */
    @SuppressWarnings("unchecked")
    public static <F extends ComponentFactory<?, ?, ?>> Map<String, F> componentsIfAny(Module module, Kind<F> kind) {
        Key<Map<String, F>> key = (Key<Map<String, F>>) Key.get(Types.mapOf(String.class, kind.factoryType().getType()));
        var injector = Guice.createInjector(module);
        return injector.getExistingBinding(key) == null ? Map.of() : injector.getInstance(key);
    }
}
