package io.sslseg.platform.plugins;

import java.util.List;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader: the plugin's own classes first, except for the libraries that must be one
 * copy for the whole JVM (DJL binds its native library to one loader, Guice keys compare by class).
 */
final class PlatformClassLoader extends PluginClassLoader {
    private static final List<String> PARENT_FIRST = PluginJars.PLATFORM_PACKAGES.stream()
            .map(p -> p.replace('/', '.')).toList();

    PlatformClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
        super(manager, descriptor, parent, ClassLoadingStrategy.PDA);
    }

    @Override
    protected boolean shouldDelegateToParent(String className) {
        for (String p : PARENT_FIRST) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return super.shouldDelegateToParent(className);
    }
}
