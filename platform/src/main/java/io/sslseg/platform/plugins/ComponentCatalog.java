package io.sslseg.platform.plugins;

import io.sslseg.api.ComponentFactory;
import io.sslseg.api.Components;
import io.sslseg.api.Kind;
import io.sslseg.api.NestedComponent;
import io.sslseg.api.SslsegException;
import io.sslseg.platform.config.ConfigException;
import io.sslseg.platform.config.ParamBinder;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every component the loaded plugins registered, by extension point and name, plus what went wrong while
 * loading. Resolving a config block goes through here, so an unknown name, a name two plugins claim or a
 * component of a broken plugin fails with one message that names the plugins and jars.
 */
public final class ComponentCatalog {

    /** One registered component and where it came from. */
    public record Entry(Kind<?> kind, String name, ComponentFactory<?, ?, ?> factory, String pluginId, String source) {}

    /** A component block bound to its typed parameters. */
    public record Resolved<P extends Record>(Entry entry, P params) {
        /** The block as config.yaml records it: {@code type} plus every parameter, defaults included. */
        public Map<String, Object> toConfig(ParamBinder binder) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", entry.name());
            m.putAll(binder.toMap(params));
            return m;
        }
    }

    private final Map<Kind<?>, Map<String, Entry>> entries = new LinkedHashMap<>();
    private final Map<Kind<?>, Map<String, List<Entry>>> clashes = new LinkedHashMap<>();
    private final List<PluginProblem> problems;
    private final ParamBinder binder = new ParamBinder();

    ComponentCatalog(List<Entry> registered, List<PluginProblem> problems) {
        this.problems = List.copyOf(problems);
        Map<Kind<?>, Map<String, List<Entry>>> byName = new LinkedHashMap<>();
        for (Entry e : registered) {
            byName.computeIfAbsent(e.kind(), k -> new TreeMap<>())
                    .computeIfAbsent(e.name(), n -> new ArrayList<>()).add(e);
        }
        byName.forEach((kind, names) -> names.forEach((name, list) -> {
            if (list.size() == 1) {
                entries.computeIfAbsent(kind, k -> new TreeMap<>()).put(name, list.get(0));
            } else {
                clashes.computeIfAbsent(kind, k -> new TreeMap<>()).put(name, List.copyOf(list));
            }
        }));
    }

    public ParamBinder binder() {
        return binder;
    }

    public List<PluginProblem> problems() {
        return problems;
    }

    /** Names claimed by more than one plugin, as messages; such components cannot be used. */
    public List<String> clashMessages() {
        List<String> out = new ArrayList<>();
        clashes.forEach((kind, names) -> names.forEach((name, list) -> out.add(clashMessage(kind, name, list))));
        return out;
    }

    private static String clashMessage(Kind<?> kind, String name, List<Entry> list) {
        return kind + " '" + name + "' is registered by more than one plugin: " + list.stream()
                .map(e -> "'" + e.pluginId() + "' (" + e.source() + ")").collect(Collectors.joining(" and "))
                + "; remove one of the jars";
    }

    public List<Entry> entries(Kind<?> kind) {
        return List.copyOf(entries.getOrDefault(kind, Collections.emptyMap()).values());
    }

    /** Every entry with this name, of any kind (for {@code plugins describe NAME}). */
    public List<Entry> named(String name) {
        List<Entry> out = new ArrayList<>();
        entries.values().forEach(m -> {
            if (m.containsKey(name)) {
                out.add(m.get(name));
            }
        });
        return out;
    }

    public Entry find(Kind<?> kind, String name, String keyPath) {
        Entry e = entries.getOrDefault(kind, Collections.emptyMap()).get(name);
        if (e != null) {
            return e;
        }
        List<Entry> clash = clashes.getOrDefault(kind, Collections.emptyMap()).get(name);
        if (clash != null) {
            throw new ConfigException(keyPath + ".type: " + clashMessage(kind, name, clash));
        }
        StringBuilder msg = new StringBuilder(keyPath).append(".type: unknown ").append(kind).append(" '")
                .append(name).append("'; available: ")
                .append(String.join(", ", entries.getOrDefault(kind, Collections.emptyMap()).keySet()));
        if (!problems.isEmpty()) {
            msg.append("; plugins that failed to load: ")
                    .append(problems.stream().map(PluginProblem::toString).collect(Collectors.joining("; ")));
        }
        throw new ConfigException(msg.toString());
    }

    /** Binds a config block ({@code type:} plus parameters) to the named component's parameter record. */
    public Resolved<?> resolve(Kind<?> kind, Object block, String keyPath) {
        if (!(block instanceof Map<?, ?> map)) {
            throw new ConfigException(keyPath + ": expected a block with 'type:' naming a " + kind
                    + (block == null ? ", found nothing" : ", found '" + block + "'"));
        }
        Object type = map.get("type");
        if (!(type instanceof String name)) {
            throw new ConfigException(keyPath + ".type: missing; name one of the " + kind + "s: "
                    + String.join(", ", entries.getOrDefault(kind, Collections.emptyMap()).keySet()));
        }
        Entry entry = find(kind, name, keyPath);
        Map<String, Object> settings = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!"type".equals(k)) {
                settings.put(String.valueOf(k), v);
            }
        });
        Record params = bind(entry.factory(), settings, keyPath);
        bindNested(params, keyPath);
        return new Resolved<>(entry, params);
    }

    /** Resolves every {@link NestedComponent} block of {@code params}, so its errors surface now, with their path. */
    private void bindNested(Record params, String keyPath) {
        for (RecordComponent field : params.getClass().getRecordComponents()) {
            NestedComponent nested = field.getAnnotation(NestedComponent.class);
            if (nested == null) {
                continue;
            }
            Kind<?> kind = Components.KINDS.stream().filter(k -> k.name().equals(nested.kind())).findFirst()
                    .orElseThrow(() -> new IllegalStateException(params.getClass().getName() + "." + field.getName()
                            + ": @NestedComponent names no kind '" + nested.kind() + "'"));
            Object value;
            try {
                value = field.getAccessor().invoke(params);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + params.getClass().getName() + "." + field.getName(), e);
            }
            String key = keyPath + "." + field.getName();
            if (value instanceof List<?> blocks) {
                for (int i = 0; i < blocks.size(); i++) {
                    resolve(kind, withoutOwnKeys(blocks.get(i), nested.ownKeys()), key + "[" + i + "]");
                }
            } else if (value != null) {
                resolve(kind, withoutOwnKeys(value, nested.ownKeys()), key);
            }
        }
    }

    private static Object withoutOwnKeys(Object block, String[] ownKeys) {
        if (!(block instanceof Map<?, ?> map) || ownKeys.length == 0) {
            return block;
        }
        Map<Object, Object> copy = new LinkedHashMap<>(map);
        for (String k : ownKeys) {
            copy.remove(k);
        }
        return copy;
    }

    private <P extends Record> P bind(ComponentFactory<P, ?, ?> factory, Map<String, Object> settings, String keyPath) {
        return binder.bind(factory.paramsType(), factory.defaults(), settings, keyPath);
    }

    /** Resolves and builds in one go. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <C, T> T build(Kind<? extends ComponentFactory<?, C, T>> kind, Object block, String keyPath, C context) {
        Resolved<?> r = resolve(kind, block, keyPath);
        return (T) create((ComponentFactory) r.entry().factory(), r.params(), keyPath, context);
    }

    /** Builds an already resolved component; a failure inside the plugin is reported with its name. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <C, T> T create(Resolved<?> resolved, String keyPath, C context) {
        return (T) create((ComponentFactory) resolved.entry().factory(), resolved.params(), keyPath, context);
    }

    private static <P extends Record, C, T> T create(ComponentFactory<P, C, T> factory, P params, String keyPath, C ctx) {
        try {
            return factory.create(params, ctx);
        } catch (SslsegException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(keyPath + ": " + e.getMessage(), e);
        }
    }
}
