package io.warren.gateway.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A reader over one TOML table that reports, instead of throwing: unknown keys (with a suggestion),
 * wrong types, out-of-range numbers and missing required keys, each at the key's line.
 *
 * <p>Values that can hold secrets are never echoed; callers decide what to quote.
 */
final class Section {
    private final Problems problems;
    private final ConfigTable table;
    private final String label;
    private final int line;

    /**
     * @param label how messages name this section, e.g. {@code interface "wg0"}
     * @param line  the line of the section header (used for missing keys)
     */
    Section(Problems problems, ConfigTable table, String label, int line) {
        this.problems = problems;
        this.table = table;
        this.label = label;
        this.line = line;
    }

    String label() {
        return label;
    }

    int line() {
        return line;
    }

    ConfigTable table() {
        return table;
    }

    boolean has(String key) {
        return table.contains(key);
    }

    /** Line of {@code key}, or of the section header if the key is absent. */
    int lineOf(String key) {
        int at = table.lineOf(key);
        return at == 0 ? line : at;
    }

    String where(String key) {
        return label + "." + key;
    }

    /** Errors reported so far in the whole file. */
    int errorCount() {
        return problems.errorCount();
    }

    void error(String key, String reason) {
        problems.error(lineOf(key), where(key), reason);
    }

    void errorAt(int atLine, String key, String reason) {
        problems.error(atLine, where(key), reason);
    }

    void warn(String key, String reason) {
        problems.warn(lineOf(key), where(key), reason);
    }

    /** Reports every key not in {@code allowed}, suggesting the closest allowed one. */
    void rejectUnknownKeys(Set<String> allowed) {
        for (String k : table.keySet()) {
            if (!allowed.contains(k)) {
                String hint = Suggestions.closest(k, allowed).map(s -> " (did you mean \"" + s + "\"?)").orElse("");
                error(k, "unknown key" + hint);
            }
        }
    }

    /** Reports each present key of {@code keys} as not applicable, with {@code why}. */
    void rejectKeys(Set<String> keys, String why) {
        for (String k : table.keySet()) {
            if (keys.contains(k)) {
                error(k, why);
            }
        }
    }

    /** Reports a missing key. Returns false if missing. */
    boolean require(String key) {
        if (!has(key)) {
            problems.error(line, where(key), "missing (required)");
            return false;
        }
        return true;
    }

    Optional<String> string(String key) {
        Object v = table.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return Optional.of(s);
        }
        error(key, "expected a string, got " + typeName(v));
        return Optional.empty();
    }

    Optional<Boolean> bool(String key) {
        Object v = table.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Boolean b) {
            return Optional.of(b);
        }
        error(key, "expected true or false, got " + typeName(v));
        return Optional.empty();
    }

    boolean bool(String key, boolean dflt) {
        return bool(key).orElse(dflt);
    }

    /** An integer in {@code [min, max]}. */
    Optional<Long> integer(String key, long min, long max) {
        Object v = table.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof Long n)) {
            error(key, "expected an integer, got " + typeName(v));
            return Optional.empty();
        }
        if (n < min || n > max) {
            error(key, n + " is out of range " + min + ".." + max);
            return Optional.empty();
        }
        return Optional.of(n);
    }

    /** A UDP/TCP port, 1..65535. */
    Optional<Integer> port(String key) {
        return integer(key, 1, 65535).map(Long::intValue);
    }

    /**
     * A list of strings; a single string is accepted as a one-element list. Each element is
     * converted by {@code parse}; elements it rejects are reported with {@code what}
     * ({@code "10.0.0.300/32" is not an IP prefix}).
     */
    <T> Optional<List<T>> list(String key, Function<String, Optional<T>> parse, String what) {
        Object v = table.get(key);
        if (v == null) {
            return Optional.empty();
        }
        List<T> out = new ArrayList<>();
        if (v instanceof String s) {
            parse.apply(s).ifPresentOrElse(out::add, () -> error(key, quote(s) + " is not " + what));
            return Optional.of(out);
        }
        if (!(v instanceof ConfigArray a)) {
            error(key, "expected a list of strings, got " + typeName(v));
            return Optional.empty();
        }
        for (int i = 0; i < a.size(); i++) {
            int at = a.lineOf(i) == 0 ? lineOf(key) : a.lineOf(i);
            Object e = a.get(i);
            if (!(e instanceof String s)) {
                errorAt(at, key, "element " + (i + 1) + ": expected a string, got " + typeName(e));
                continue;
            }
            parse.apply(s).ifPresentOrElse(out::add, () -> errorAt(at, key, quote(s) + " is not " + what));
        }
        return Optional.of(out);
    }

    /** One string converted by {@code parse}, reporting {@code "value" is not WHAT}. */
    <T> Optional<T> value(String key, Function<String, Optional<T>> parse, String what) {
        return string(key).flatMap(s -> {
            Optional<T> r = parse.apply(s);
            if (r.isEmpty()) {
                error(key, quote(s) + " is not " + what);
            }
            return r;
        });
    }

    /** A sub-table, or empty (reporting a type error if the key holds something else). */
    Optional<ConfigTable> table(String key) {
        Object v = table.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof ConfigTable t) {
            return Optional.of(t);
        }
        error(key, "expected a table, got " + typeName(v));
        return Optional.empty();
    }

    /** An array of tables ({@code [[x]]}), or empty. */
    Optional<ConfigArray> tables(String key) {
        Object v = table.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof ConfigArray a && a.toList().stream().allMatch(e -> e instanceof ConfigTable)) {
            return Optional.of(a);
        }
        error(key, "expected [[" + key + "]] tables, got " + typeName(v));
        return Optional.empty();
    }

    /** Quotes a value for a message (TOML-style). Never call this on a secret. */
    static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String typeName(Object v) {
        if (v instanceof String) {
            return "a string";
        } else if (v instanceof Long) {
            return "an integer";
        } else if (v instanceof Double) {
            return "a float";
        } else if (v instanceof Boolean) {
            return "a boolean";
        } else if (v instanceof ConfigArray) {
            return "a list";
        } else if (v instanceof ConfigTable) {
            return "a table";
        }
        return "a date/time";
    }
}
