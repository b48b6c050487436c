package io.sslseg.platform.compare;

import io.sslseg.platform.config.ConfigException;
import io.sslseg.platform.config.ConfigTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A comparison grid: a base run config and axes (encoders, methods, labelled counts, seeds, ...) whose product
 * is the set of cells, each a normal run. Read from YAML:
 *
 * <pre>
 * name: encoders
 * base: configs/supervised.yaml          # relative to the grid file
 * set: [train.iterations=300]            # overrides every cell shares
 * axes:
 *   - name: encoder
 *     cells:                              # label: config tree merged into the cell's config
 *       resnet18: {model: {encoder: {type: resnet18, width: 32, lightStem: true}}}
 *       convnext: {model: {encoder: {type: convnext-atto64}}}
 *   - name: labeled
 *     key: dataset.labeled                # label = value, set at this key
 *     values: [200, 1000]
 *   - name: seed                          # the axis named "seed" is averaged over (mean +- std)
 *     key: seed
 *     values: [1, 2]
 * </pre>
 */
public record Grid(String name, Path file, Path base, List<String> sets, List<Axis> axes) {
    /** The axis results are averaged over. */
    public static final String SEED_AXIS = "seed";

    /** One axis: its labels in order, each with the config tree it merges into a cell. */
    public record Axis(String name, Map<String, Map<String, Object>> cells) {}

    /** One run of the grid: its label on every axis and its merged config tree. */
    public record Cell(String id, Map<String, String> labels, Map<String, Object> tree) {
        /** The cell's id without its seed: the group its seeds are averaged in ({@code all} in a seeds-only grid). */
        public String group() {
            String group = String.join("_", labels.entrySet().stream().filter(e -> !e.getKey().equals(SEED_AXIS))
                    .map(Map.Entry::getValue).toList());
            return group.isEmpty() ? "all" : group;
        }
    }

    private static final Set<String> KEYS = Set.of("name", "base", "set", "axes");

    @SuppressWarnings("unchecked")
    public static Grid load(Path file) {
        return of(file, parse(file));
    }

    /** A YAML file's tree as written (its base: not followed), a syntax error naming the file. */
    public static Map<String, Object> parse(Path file) {
        try {
            return ConfigTree.fromYaml(ConfigTree.readText(file)); // not load(): the grid's base: is the cells' base
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    /** The grid in {@code y}, the tree of {@code file} as {@link #parse} gives it. */
    public static Grid of(Path file, Map<String, Object> y) {
        for (String k : y.keySet()) {
            if (!KEYS.contains(k)) {
                throw new ConfigException(file + ": unknown key '" + k + "' (expected one of name, base, set, axes)");
            }
        }
        String name = String.valueOf(y.getOrDefault("name", "compare"));
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigException(file + ": name must be letters, digits, '.', '_' or '-'");
        }
        Object baseValue = y.get("base");
        Path base = baseValue == null ? null : file.toAbsolutePath().getParent().resolve(String.valueOf(baseValue));
        List<String> sets = new ArrayList<>();
        if (y.get("set") instanceof List<?> l) {
            l.forEach(v -> sets.add(String.valueOf(v)));
        } else if (y.get("set") != null) {
            throw new ConfigException(file + ": set must be a list of key=value overrides");
        }
        if (!(y.get("axes") instanceof List<?> rawAxes) || rawAxes.isEmpty()) {
            throw new ConfigException(file + ": axes: give at least one axis");
        }
        List<Axis> axes = new ArrayList<>();
        for (int i = 0; i < rawAxes.size(); i++) {
            String where = file + ": axes[" + i + "]";
            if (!(rawAxes.get(i) instanceof Map<?, ?> a) || !(a.get("name") instanceof String axisName)
                    || !axisName.matches("[A-Za-z0-9-]+")) {
                throw new ConfigException(where + ": an axis is a map with a name (letters, digits, '-')");
            }
            Map<String, Map<String, Object>> cells = new LinkedHashMap<>();
            if (a.get("cells") instanceof Map<?, ?> c && a.get("key") == null) {
                c.forEach((label, tree) -> cells.put(label(where, label), tree == null ? new LinkedHashMap<>()
                        : ConfigTree.mutableCopyOf((Map<String, Object>) tree)));
            } else if (a.get("key") instanceof String key && a.get("values") instanceof List<?> values
                    && a.get("cells") == null) {
                for (Object v : values) {
                    Map<String, Object> tree = new LinkedHashMap<>();
                    ConfigTree.set(tree, key + "=" + v);
                    cells.put(label(where, v), tree);
                }
            } else {
                throw new ConfigException(where + " (" + axisName + "): give either cells (label: config) or key and values");
            }
            if (cells.isEmpty()) {
                throw new ConfigException(where + " (" + axisName + "): no cells");
            }
            axes.add(new Axis(axisName, cells));
        }
        return new Grid(name, file, base, List.copyOf(sets), List.copyOf(axes));
    }

    private static String label(String where, Object label) {
        String s = String.valueOf(label);
        if (!s.matches("[A-Za-z0-9.-]+")) {
            throw new ConfigException(where + ": cell label '" + s + "' must be letters, digits, '.' or '-'");
        }
        return s;
    }

    /** Every cell, the first axis varying slowest; each tree is the base, the shared overrides, then the cell's. */
    public List<Cell> cells(Map<String, Object> defaults) {
        List<Cell> out = new ArrayList<>();
        expand(0, new LinkedHashMap<>(), new ArrayList<>(), defaults, out);
        return out;
    }

    private void expand(int axis, Map<String, String> labels, List<Map<String, Object>> parts,
            Map<String, Object> defaults, List<Cell> out) {
        if (axis == axes.size()) {
            Map<String, Object> tree = ConfigTree.mutableCopyOf(defaults);
            if (base != null) {
                tree = ConfigTree.mergeMaps(tree, ConfigTree.load(base));
            }
            for (String s : sets) {
                ConfigTree.set(tree, s);
            }
            for (Map<String, Object> p : parts) {
                tree = ConfigTree.mergeMaps(tree, ConfigTree.mutableCopyOf(p));
            }
            String id = String.join("_", labels.entrySet().stream()
                    .map(e -> e.getKey().equals(SEED_AXIS) ? "s" + e.getValue() : e.getValue()).toList());
            tree.put("name", id);
            out.add(new Cell(id, Collections.unmodifiableMap(new LinkedHashMap<>(labels)), tree));
            return;
        }
        Axis a = axes.get(axis);
        for (Map.Entry<String, Map<String, Object>> c : a.cells().entrySet()) {
            labels.put(a.name(), c.getKey());
            parts.add(c.getValue());
            expand(axis + 1, labels, parts, defaults, out);
            parts.remove(parts.size() - 1);
            labels.remove(a.name());
        }
    }
}
