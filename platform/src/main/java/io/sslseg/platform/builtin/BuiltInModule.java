package io.sslseg.platform.builtin;

import com.google.inject.AbstractModule;
import io.sslseg.api.Components;

/** Components the platform itself provides, registered exactly as a plugin would. */
public final class BuiltInModule extends AbstractModule {
    @Override
    protected void configure() {
        Components.register(binder(), Components.SUPERVISED_LOSS, "ce").toInstance(CrossEntropy.factory());
        Components.register(binder(), Components.PSEUDO_LABELER, "folder").toInstance(FolderPseudoLabels.factory());
        Components.register(binder(), Components.LAUNCHER, "local")
                .toInstance(io.sslseg.platform.compare.LocalLauncher.factory());
    }
}
