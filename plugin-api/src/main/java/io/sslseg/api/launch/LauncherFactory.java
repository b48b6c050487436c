package io.sslseg.api.launch;

import io.sslseg.api.ComponentFactory;
import java.util.function.Function;

/** Registered under {@link io.sslseg.api.Components#LAUNCHER}; launchers need no context beyond their parameters. */
public interface LauncherFactory<P extends Record> extends ComponentFactory<P, Void, Launcher> {

    /** A factory from its parts (see {@link io.sslseg.api.ssl.PerturbationFactory#of}). */
    static <P extends Record> LauncherFactory<P> of(Class<P> paramsType, P defaults, String summary,
            Function<P, Launcher> create) {
        record Impl<P extends Record>(Class<P> paramsType, P defaults, String summary, Function<P, Launcher> factory)
                implements LauncherFactory<P> {
            @Override
            public Launcher create(P params, Void context) {
                return factory.apply(params);
            }
        }
        return new Impl<>(paramsType, defaults, summary, create);
    }
}
