package io.warren.gateway.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One TOML table as plain JDK values: strings, {@link Long}, {@link Double}, {@link Boolean},
 * {@code java.time} values, {@link ConfigArray} and {@link ConfigTable}, with the line of each key.
 *
 * <p>Built by {@link io.warren.gateway.config.toml.TomlReader} inside a class loader of its own, so
 * that tomlj and its ANTLR runtime can be unloaded once the file is read (see {@link IsolatedToml}).
 * Keys are single TOML keys (no dotted paths). Mutable while it is built, then only read.
 */
public final class ConfigTable {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, Integer> lines = new HashMap<>();

    /** Adds {@code key} (in file order) with its value and its 1-based line (0 if unknown). */
    public void put(String key, Object value, int line) {
        values.put(key, value);
        lines.put(key, line);
    }

    boolean contains(String key) {
        return values.containsKey(key);
    }

    /** The value of {@code key}, or null. */
    Object get(String key) {
        return values.get(key);
    }

    /** The sub-table {@code key}, or null if absent or not a table. */
    ConfigTable getTable(String key) {
        return values.get(key) instanceof ConfigTable t ? t : null;
    }

    /** The 1-based line of {@code key}; 0 if absent or unknown. */
    int lineOf(String key) {
        Integer l = lines.get(key);
        return l == null ? 0 : l;
    }

    Set<String> keySet() {
        return Collections.unmodifiableSet(values.keySet());
    }
}
