package io.sslseg.platform.config;

import io.sslseg.api.data.DataException;
import io.sslseg.api.data.DataFiles;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config as a tree of maps: YAML files with {@code base:} inheritance, {@code --set a.b=c} overrides,
 * and the merge rule they share. Typed binding happens later, per block ({@link ParamBinder}).
 */
public final class ConfigTree {
    static final String BASE_KEY = "base";
    static final String TYPE_KEY = "type";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // a key written twice (two 'train:' sections) would silently drop the first
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    private ConfigTree() {}

    /** Reads {@code file} and, recursively, the files its {@code base:} names (relative to it). */
    public static Map<String, Object> load(Path file) {
        return load(file.toAbsolutePath().normalize(), new ArrayList<>());
    }

    private static Map<String, Object> load(Path file, List<Path> chain) {
        if (chain.contains(file)) {
            throw new ConfigException(file + ": 'base' chain loops back to itself (" + chain + ")");
        }
        chain.add(file);
        Map<String, Object> tree = parse(file);
        Object base = tree.remove(BASE_KEY);
        if (base == null) {
            return tree;
        }
        if (!(base instanceof String name)) {
            throw new ConfigException(file + ": base: must be a file name, got " + base);
        }
        Map<String, Object> parent = load(file.resolveSibling(name).normalize(), chain);
        @SuppressWarnings("unchecked")
        Map<String, Object> merged = (Map<String, Object>) deepMerge(parent, tree);
        return merged;
    }

    /** Largest config or grid file read: anything bigger is not a config (a log, a dataset, /dev/zero...). */
    static final long MAX_BYTES = 1 << 20;

    /**
     * A config or grid file's text. Only a regular file of at most {@link #MAX_BYTES} is read: a FIFO would block the
     * command forever and a device such as /dev/zero would fill the memory.
     */
    public static String readText(Path file) {
        try {
            return new String(DataFiles.readBytes(file, MAX_BYTES, "config"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (DataException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static Map<String, Object> parse(Path file) {
        try {
            Object value = readYaml(readText(file));
            if (value == null) {
                return new LinkedHashMap<>();
            }
            if (!(value instanceof Map)) {
                throw new ConfigException(file + ": a config must be a YAML mapping at the top level");
            }
            return mutableCopy(value);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": not valid YAML: " + oneLine(e.getOriginalMessage())
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** The document's value; null for an empty one (nothing, or only comments: readValue throws on those). */
    private static Object readYaml(String text) throws IOException {
        try (JsonParser p = YAML.createParser(text)) {
            return p.nextToken() == null ? null : YAML.readValue(p, Object.class);
        }
    }

    /**
     * SnakeYAML's message on one line (the CLI prints one): its context and problem lines, without the
     * indented "in 'reader', line..." marks and source excerpts.
     */
    private static String oneLine(String message) {
        String kept = message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .map(String::strip).collect(java.util.stream.Collectors.joining("; "));
        return kept.isEmpty() ? message.strip() : kept;
    }

    /**
     * Applies one {@code key.path=value} override; the value is read as YAML (numbers, booleans, lists). Setting a
     * component's {@code type} to another switches the component: the old type's parameters are dropped (they belong to
     * it, not to the new one) and the returned note names them; otherwise the note is empty.
     */
    public static String set(Map<String, Object> tree, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set " + assignment + ": expected key.path=value");
        }
        String path = assignment.substring(0, eq).trim();
        Object value = parseScalar(assignment.substring(eq + 1));
        String[] keys = path.split("\\.");
        Map<String, Object> node = tree;
        for (int i = 0; i < keys.length - 1; i++) {
            Object child = node.get(keys[i]);
            if (child == null) {
                child = new LinkedHashMap<String, Object>();
                node.put(keys[i], child);
            } else if (!(child instanceof Map)) {
                throw new ConfigException("--set " + path + ": '" + String.join(".", List.of(keys).subList(0, i + 1))
                        + "' is a value, not a section");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> next = (Map<String, Object>) child;
            node = next;
        }
        String last = keys[keys.length - 1];
        Object previousType = node.get(TYPE_KEY);
        if (last.equals(TYPE_KEY) && previousType != null && !previousType.equals(value)) {
            List<String> dropped = node.keySet().stream().filter(k -> !k.equals(TYPE_KEY)).toList();
            node.keySet().retainAll(List.of(TYPE_KEY));
            node.put(TYPE_KEY, value);
            return dropped.isEmpty() ? "" : "--set " + path + "=" + value + " switches the component from " + previousType
                    + ": its parameters " + String.join(", ", dropped) + " are dropped (the new type starts from its"
                    + " defaults; set any of them again if it takes them)";
        }
        node.put(last, deepMerge(node.get(last), value));
        return "";
    }

    private static Object parseScalar(String text) {
        if (text.isBlank()) {
            return "";
        }
        try {
            Object v = YAML.readValue(text, Object.class);
            return v == null ? null : mutableCopy(v);
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    /**
     * {@code over} wins; maps merge key by key. A component block whose {@code type} changes is replaced
     * whole, because the old component's parameters mean nothing to the new one.
     */
    public static Object deepMerge(Object base, Object over) {
        if (base instanceof Map<?, ?> b && over instanceof Map<?, ?> o) {
            Object bt = b.get(TYPE_KEY);
            Object ot = o.get(TYPE_KEY);
            if (bt != null && ot != null && !bt.equals(ot)) {
                return mutableCopy(o);
            }
            Map<String, Object> merged = mutableCopy(b);
            for (Map.Entry<?, ?> e : o.entrySet()) {
                String key = String.valueOf(e.getKey());
                merged.put(key, deepMerge(merged.get(key), e.getValue()));
            }
            return merged;
        }
        return over instanceof Map ? mutableCopy(over) : over;
    }

    /** Merges two config trees with the {@link #deepMerge} rule. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> mergeMaps(Map<String, Object> base, Map<String, Object> over) {
        return (Map<String, Object>) deepMerge(base, over);
    }

    public static Map<String, Object> mutableCopyOf(Map<String, Object> tree) {
        return mutableCopy(tree);
    }

    @SuppressWarnings("unchecked")
    static <T> T mutableCopy(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), mutableCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(v -> copy.add(mutableCopy(v)));
            return (T) copy;
        }
        return (T) value;
    }

    /**
     * Merges {@code value} into the value at {@code keyPath} ({@code a.b[2].c}: map keys and list indexes) in
     * {@code tree}, a mutable tree: two maps merge (the new keys win, the others stay), anything else is replaced.
     * False, with nothing changed, when the path does not exist there.
     */
    @SuppressWarnings("unchecked")
    public static boolean mergeAt(Map<String, Object> tree, String keyPath, Object value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)\\]").matcher(keyPath);
        List<Object> steps = new ArrayList<>();
        while (m.find()) {
            steps.add(m.group(1) != null ? m.group(1) : Integer.valueOf(m.group(2)));
        }
        Object node = tree;
        for (int i = 0; i < steps.size(); i++) {
            Object step = steps.get(i);
            boolean last = i == steps.size() - 1;
            if (step instanceof String key && node instanceof Map<?, ?> map && map.containsKey(key)) {
                if (last) {
                    ((Map<String, Object>) map).put(key, deepMerge(map.get(key), value));
                    return true;
                }
                node = map.get(key);
            } else if (step instanceof Integer index && node instanceof List<?> list && index < list.size()) {
                if (last) {
                    ((List<Object>) list).set(index, deepMerge(list.get(index), value));
                    return true;
                }
                node = list.get(index);
            } else {
                return false;
            }
        }
        return false;
    }

    /**
     * Where two config trees differ, one {@code key: old -> new} line per differing leaf (lists compared whole, in
     * flow style; a key only one side has shows {@code (none)} on the other); empty when they are the same.
     */
    public static List<String> differences(Map<String, Object> before, Map<String, Object> after) {
        Map<String, String> a = new java.util.TreeMap<>();
        Map<String, String> b = new java.util.TreeMap<>();
        flatten("", before, a);
        flatten("", after, b);
        java.util.SortedSet<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            String x = a.getOrDefault(k, "(none)");
            String y = b.getOrDefault(k, "(none)");
            if (!x.equals(y)) {
                out.add(k + ": " + x + " -> " + y);
            }
        }
        return out;
    }

    private static void flatten(String prefix, Object value, Map<String, String> out) {
        if (value instanceof Map<?, ?> m && !m.isEmpty()) {
            m.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
        } else {
            out.put(prefix, toFlowYaml(value));
        }
    }

    public static String toYaml(Object tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One line of YAML flow style ({@code [{type: blur}, {type: cutmix, probability: 0.5}]}), as a user would write the
     * value after {@code --set key=}; scalars as {@link #toYaml} writes them.
     */
    public static String toFlowYaml(Object value) {
        if (value instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            m.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append(": ").append(toFlowYaml(v)));
            return sb.append('}').toString();
        }
        if (value instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            l.forEach(v -> sb.append(sb.length() > 1 ? ", " : "").append(toFlowYaml(v)));
            return sb.append(']').toString();
        }
        return toYaml(value).trim();
    }

    public static Map<String, Object> fromYaml(String text) {
        try {
            Object v = readYaml(text);
            return v == null ? new LinkedHashMap<>() : mutableCopy(v);
        } catch (JsonProcessingException e) {
            throw new ConfigException("not valid YAML: " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
