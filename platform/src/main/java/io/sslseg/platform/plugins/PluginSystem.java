package io.sslseg.platform.plugins;

import com.google.inject.Binding;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import com.google.inject.util.Types;
import io.sslseg.api.ApiVersion;
import io.sslseg.api.ComponentFactory;
import io.sslseg.api.Components;
import io.sslseg.api.Kind;
import io.sslseg.api.SslsegException;
import io.sslseg.api.SslsegModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.pf4j.JarPluginLoader;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Loads the plugin jars of one folder with PF4J and collects the components their Guice modules register.
 * One broken jar (unreadable, bundling platform classes, built for another API version, failing in its
 * module) becomes a {@link PluginProblem}; the other plugins still load.
 */
public final class PluginSystem implements AutoCloseable {
    /** The plugin id of the components the platform itself registers. */
    public static final String BUILT_IN = "platform";

    private final JarPluginManager manager;
    private final List<PluginInfo> plugins;
    private final ComponentCatalog catalog;

    private PluginSystem(JarPluginManager manager, List<PluginInfo> plugins, ComponentCatalog catalog) {
        this.manager = manager;
        this.plugins = plugins;
        this.catalog = catalog;
    }

    public ComponentCatalog catalog() {
        return catalog;
    }

    /** The plugins that loaded, in id order. */
    public List<PluginInfo> plugins() {
        return plugins;
    }

    public static PluginSystem load(Path pluginsDir, List<Module> builtIns) {
        if (!Files.isDirectory(pluginsDir)) {
            throw new SslsegException("plugins folder " + pluginsDir + " does not exist (use --plugins DIR)");
        }
        JarPluginManager manager = new PlatformPluginManager(pluginsDir);
        manager.setSystemVersion(ApiVersion.VERSION);
        List<PluginProblem> problems = new ArrayList<>();
        Map<String, Path> jarsById = new LinkedHashMap<>();
        Map<String, String> shaById = new LinkedHashMap<>();
        for (Path jar : listJars(pluginsDir)) {
            PluginJars.Manifested m;
            try {
                m = PluginJars.inspect(jar);
            } catch (IOException e) {
                String id = e instanceof PluginJars.RejectedJar r ? r.pluginId() : null;
                problems.add(new PluginProblem(id, jar, e.getMessage()));
                continue;
            }
            if (jarsById.containsKey(m.id())) {
                problems.add(new PluginProblem(m.id(), jar, "has the same Plugin-Id as "
                        + jarsById.get(m.id()) + "; remove one of the two jars"));
                continue;
            }
            if (m.requires() == null || m.requires().isBlank()) {
                problems.add(new PluginProblem(m.id(), jar,
                        "declares no Plugin-Requires range for the plugin API (this platform provides "
                                + ApiVersion.VERSION + ")"));
                continue;
            }
            if (!versionAccepted(manager, m.requires())) {
                problems.add(new PluginProblem(m.id(), jar, "was built for plugin API " + m.requires()
                        + ", but this platform provides " + ApiVersion.VERSION));
                continue;
            }
            try {
                manager.loadPlugin(jar);
                jarsById.put(m.id(), jar);
                shaById.put(m.id(), PluginJars.sha256(jar));
            } catch (Exception | LinkageError e) {
                problems.add(new PluginProblem(m.id(), jar, "PF4J could not load it: " + e.getMessage()));
                // PF4J keeps a plugin that failed to resolve (e.g. a missing Plugin-Dependencies entry) among
                // its unresolved plugins, and every later loadPlugin then fails on it: drop it.
                if (manager.getPlugin(m.id()) != null && !jarsById.containsKey(m.id())) {
                    try {
                        manager.unloadPlugin(m.id());
                    } catch (RuntimeException ignored) {
                        // already reported above
                    }
                }
            }
        }
        manager.startPlugins();

        List<ComponentCatalog.Entry> entries = new ArrayList<>();
        collect(BUILT_IN, "built-in", builtIns, entries, problems);
        List<PluginInfo> infos = new ArrayList<>();
        for (PluginWrapper w : manager.getPlugins()) {
            String id = w.getPluginId();
            Path jar = w.getPluginPath();
            if (w.getPluginState() != PluginState.STARTED) {
                Throwable t = w.getFailedException();
                problems.add(new PluginProblem(id, jar, "did not start" + (t == null ? "" : ": " + t)));
                continue;
            }
            List<Module> modules = instantiateModules(manager, w, problems);
            if (modules == null) {
                continue;
            }
            if (collect(id, jar.toString(), modules, entries, problems)) {
                infos.add(new PluginInfo(id, w.getDescriptor().getVersion(), jar, shaById.get(id)));
            }
        }
        infos.sort((a, b) -> a.id().compareTo(b.id()));
        return new PluginSystem(manager, List.copyOf(infos), new ComponentCatalog(entries, problems));
    }

    private static boolean versionAccepted(JarPluginManager manager, String requires) {
        try {
            return manager.getVersionManager().checkVersionConstraint(ApiVersion.VERSION, requires);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static List<Path> listJars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".jar"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new SslsegException("cannot list plugins folder " + dir + ": " + e.getMessage());
        }
    }

    private static List<Module> instantiateModules(JarPluginManager manager, PluginWrapper w, List<PluginProblem> problems) {
        Set<String> declared = manager.getExtensionClassNames(w.getPluginId());
        List<Module> modules = new ArrayList<>();
        for (String className : declared) {
            try {
                Class<?> c = Class.forName(className, true, w.getPluginClassLoader());
                if (!SslsegModule.class.isAssignableFrom(c)) {
                    continue;
                }
                modules.add((Module) c.getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                problems.add(new PluginProblem(w.getPluginId(), w.getPluginPath(),
                        "its extension " + className + " cannot be created: " + cause));
                return null;
            }
        }
        if (modules.isEmpty()) {
            problems.add(new PluginProblem(w.getPluginId(), w.getPluginPath(),
                    "contributes no " + SslsegModule.class.getSimpleName()
                            + " extension (is the class annotated with @org.pf4j.Extension?)"));
            return null;
        }
        return modules;
    }

    /** Builds the plugin's own injector and reads one map per extension point from it. */
    private static boolean collect(String pluginId, String source, List<Module> modules,
            List<ComponentCatalog.Entry> entries, List<PluginProblem> problems) {
        Injector injector;
        try {
            injector = Guice.createInjector(Stage.DEVELOPMENT, modules);
        } catch (CreationException e) {
            problems.add(new PluginProblem(pluginId, Path.of(source),
                    "its Guice module failed: " + firstMessage(e.getErrorMessages())));
            return false;
        } catch (RuntimeException | LinkageError e) {
            problems.add(new PluginProblem(pluginId, Path.of(source), "its Guice module failed: " + e));
            return false;
        }
        for (Kind<?> kind : Components.KINDS) {
            for (Map.Entry<String, ? extends ComponentFactory<?, ?, ?>> e : map(injector, kind).entrySet()) {
                entries.add(new ComponentCatalog.Entry(kind, e.getKey(), e.getValue(), pluginId, source));
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static <F extends ComponentFactory<?, ?, ?>> Map<String, F> map(Injector injector, Kind<F> kind) {
        Key<Map<String, F>> key = (Key<Map<String, F>>) Key.get(Types.mapOf(String.class, kind.factoryType().getType()));
        Binding<Map<String, F>> binding = injector.getExistingBinding(key);
        return binding == null ? Map.of() : binding.getProvider().get();
    }

    private static String firstMessage(java.util.Collection<Message> messages) {
        Message m = messages.iterator().next();
        String text = m.getMessage();
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)) + (messages.size() > 1 ? " (and " + (messages.size() - 1) + " more)" : "");
    }

    @Override
    public void close() {
        // unloadPlugins stops each plugin first (stopPlugins itself trips over its own list in PF4J 3.15)
        manager.unloadPlugins();
    }

    /** PF4J's jar manager, with class loaders that take the shared libraries from the platform. */
    private static final class PlatformPluginManager extends JarPluginManager {
        PlatformPluginManager(Path root) {
            super(root);
        }

        @Override
        protected PluginLoader createPluginLoader() {
            return new JarPluginLoader(this) {
                @Override
                protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                    return new PlatformClassLoader(pluginManager, descriptor, getClass().getClassLoader());
                }
            };
        }
    }
}
