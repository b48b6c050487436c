package io.sslseg.platform.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sslseg.api.FormerNames;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a config block onto a component's parameter record: the block's keys overlay the record's
 * defaults, unknown keys and ill-typed values are errors naming the full key path (strict, like Trino's
 * config), and range checks in the record's constructor surface with the same path.
 */
public final class ParamBinder {
    private static final Logger LOG = LoggerFactory.getLogger(ParamBinder.class);
    /** Each deprecation is said once per process, however many times the config is bound. */
    private static final Set<String> DEPRECATIONS_SAID = ConcurrentHashMap.newKeySet();
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    /** The record's values as a plain map (key order = record order), for describe and for config.yaml. */
    public Map<String, Object> toMap(Object record) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = mapper.convertValue(record, LinkedHashMap.class);
        return map;
    }

    /**
     * @param settings the block's keys, without {@code type}
     * @param keyPath where the block sits in the config, e.g. {@code model.encoder}
     */
    public <P extends Record> P bind(Class<P> type, P defaults, Map<String, Object> settings, String keyPath) {
        Map<String, Object> merged = mergeTyped(type, toMap(defaults), settings, keyPath);
        try {
            return mapper.convertValue(merged, type);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(explain(e, keyPath, type), e);
        }
    }

    /**
     * {@code settings} over {@code defaults} for record {@code type}. A field that is itself a record (a typed
     * block such as {@code train.optimizer}) merges key by key even when its {@code type} changes: unlike a
     * plugin component's block, its keys mean the same for every type, so the defaults fill what is not set.
     */
    private static Map<String, Object> mergeTyped(Class<?> type, Map<String, Object> defaults, Map<String, Object> settings,
            String keyPath) {
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        for (Map.Entry<String, Object> e : withCurrentNames(type, settings, keyPath).entrySet()) {
            String key = e.getKey();
            if (!merged.containsKey(key) && !isComponent(type, key)) {
                throw new ConfigException(join(keyPath, key) + ": unknown key; " + describeKeys(type));
            }
            Class<?> field = Arrays.stream(type.getRecordComponents()).filter(c -> c.getName().equals(key))
                    .map(RecordComponent::getType).findFirst().orElse(Object.class);
            if (field.isRecord() && merged.get(key) instanceof Map<?, ?> d && e.getValue() instanceof Map<?, ?> o) {
                @SuppressWarnings("unchecked")
                Map<String, Object> dm = (Map<String, Object>) d;
                @SuppressWarnings("unchecked")
                Map<String, Object> om = (Map<String, Object>) o;
                merged.put(key, mergeTyped(field, dm, om, join(keyPath, key)));
            } else {
                merged.put(key, ConfigTree.deepMerge(merged.get(key), e.getValue()));
            }
        }
        return merged;
    }

    /** {@code settings} with every key that is a {@link FormerNames former name} of a field renamed to the field's. */
    private static Map<String, Object> withCurrentNames(Class<?> type, Map<String, Object> settings, String keyPath) {
        Map<String, Object> renamed = null;
        for (RecordComponent field : type.getRecordComponents()) {
            FormerNames former = field.getAnnotation(FormerNames.class);
            if (former == null) {
                continue;
            }
            for (String old : former.value()) {
                if (!settings.containsKey(old)) {
                    continue;
                }
                if (settings.containsKey(field.getName())) {
                    throw new ConfigException(join(keyPath, old) + ": the former name of " + field.getName()
                            + ", which is set too; keep only " + field.getName());
                }
                renamed = renamed == null ? new LinkedHashMap<>(settings) : renamed;
                renamed.put(field.getName(), renamed.remove(old));
                String warning = join(keyPath, old) + " is deprecated: the key is now " + field.getName()
                        + " (the old name still works)";
                if (DEPRECATIONS_SAID.add(warning)) {
                    LOG.warn(warning);
                }
            }
        }
        return renamed == null ? settings : renamed;
    }

    private static boolean isComponent(Class<?> type, String name) {
        return Arrays.stream(type.getRecordComponents()).anyMatch(c -> c.getName().equals(name));
    }

    private static String describeKeys(Class<?> type) {
        return "known keys: " + Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getName).collect(Collectors.joining(", "));
    }

    private static String explain(IllegalArgumentException e, String keyPath, Class<?> type) {
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException u) {
            return join(keyPath, path(u)) + ": unknown key; known keys: " + u.getKnownPropertyIds();
        }
        if (cause instanceof JsonMappingException m) {
            String where = join(keyPath, path(m));
            Throwable root = m;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof IllegalArgumentException iae && iae != e) {
                return at(where, iae.getMessage());
            }
            return at(where, firstLine(((JsonProcessingException) m).getOriginalMessage()));
        }
        return at(keyPath, e.getMessage());
    }

    /** {@code where: message}, or the message alone for the top-level record (no path to name). */
    private static String at(String where, String message) {
        return where == null || where.isEmpty() ? message : where + ": " + message;
    }

    /** The key path inside the block: {@code stem.channels}, {@code strides[1]}. */
    private static String path(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        // Jackson's hints are for the Java programmer ("...if coercion using `CoercionConfig` was enabled")
        return line.replaceFirst(" \\((but (might|could) if coercion|set DeserializationConfig)[^)]*\\)\\s*$", "");
    }

    static String join(String prefix, String key) {
        if (prefix == null || prefix.isEmpty()) {
            return key;
        }
        return key == null || key.isEmpty() ? prefix : prefix + "." + key;
    }
}
