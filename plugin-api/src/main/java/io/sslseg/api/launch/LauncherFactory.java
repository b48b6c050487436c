package io.sslseg.api.launch;

import io.sslseg.api.ComponentFactory;
import io.sslseg.api.ComponentFactory.FromParts;
import io.sslseg.api.ComponentFactory.Parts;
import java.util.function.Function;

/** Registered under {@link io.sslseg.api.Components#LAUNCHER}; launchers need no context beyond their parameters. */
public interface LauncherFactory<P extends Record> extends ComponentFactory<P, Void, Launcher> {

    /** A factory from its parts (see {@link io.sslseg.api.ssl.PerturbationFactory#of}). */
    static <P extends Record> LauncherFactory<P> of(Class<P> paramsType, P defaults, String summary,
            Function<P, Launcher> create) {
        record Impl<P extends Record>(Parts<P, Void, Launcher> parts)
                implements LauncherFactory<P>, FromParts<P, Void, Launcher> {}
        return new Impl<>(new Parts<>(paramsType, defaults, summary, (params, context) -> create.apply(params)));
    }
}
