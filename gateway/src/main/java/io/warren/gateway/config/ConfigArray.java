package io.warren.gateway.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One TOML array as plain JDK values (see {@link ConfigTable}), with the line of each element.
 * Mutable while it is built, then only read.
 */
public final class ConfigArray {
    private final List<Object> values = new ArrayList<>();
    private final List<Integer> lines = new ArrayList<>();

    /** Appends {@code value} found at 1-based {@code line} (0 if unknown). */
    public void add(Object value, int line) {
        values.add(value);
        lines.add(line);
    }

    int size() {
        return values.size();
    }

    Object get(int i) {
        return values.get(i);
    }

    /** Element {@code i} if it is a table, else null. */
    ConfigTable getTable(int i) {
        return values.get(i) instanceof ConfigTable t ? t : null;
    }

    /** The 1-based line of element {@code i}; 0 if unknown. */
    int lineOf(int i) {
        return lines.get(i);
    }

    List<Object> toList() {
        return Collections.unmodifiableList(values);
    }
}
