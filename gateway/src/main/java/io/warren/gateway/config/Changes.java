package io.warren.gateway.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What happened to a keyed collection between two configs. Identity is the key (a name, a public
 * key, a route's prefix and next hop); "changed" means same key, different value.
 *
 * @param added     present only in the new config
 * @param removed   present only in the old config
 * @param changed   present in both with different values
 * @param unchanged present in both, equal: the daemon must leave these alone
 * @param <K> identity
 * @param <V> value
 */
public record Changes<K, V>(Map<K, V> added, Map<K, V> removed, Map<K, Change<V>> changed, Set<K> unchanged) {

    /** One value before and after. */
    public record Change<V>(V before, V after) {
    }

    public Changes {
        added = Ordered.copy(added);
        removed = Ordered.copy(removed);
        changed = Ordered.copy(changed);
        unchanged = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(unchanged));
    }

    /** Compares two keyed collections by {@code equals} on the values. */
    public static <K, V> Changes<K, V> of(Map<K, V> before, Map<K, V> after) {
        return of(before, after, Objects::equals);
    }

    /** Compares with a custom sameness test (e.g. interface settings without their peers). */
    public static <K, V> Changes<K, V> of(Map<K, V> before, Map<K, V> after, java.util.function.BiPredicate<V, V> same) {
        Map<K, V> added = new LinkedHashMap<>();
        Map<K, V> removed = new LinkedHashMap<>();
        Map<K, Change<V>> changed = new LinkedHashMap<>();
        Set<K> unchanged = new LinkedHashSet<>();
        before.forEach((k, v) -> {
            if (!after.containsKey(k)) {
                removed.put(k, v);
            } else if (same.test(v, after.get(k))) {
                unchanged.add(k);
            } else {
                changed.put(k, new Change<>(v, after.get(k)));
            }
        });
        after.forEach((k, v) -> {
            if (!before.containsKey(k)) {
                added.put(k, v);
            }
        });
        return new Changes<>(added, removed, changed, unchanged);
    }

    /** True if nothing was added, removed or changed. */
    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    /** {@code +a -r ~c} counts, for logs. */
    public String counts() {
        return "+" + added.size() + " -" + removed.size() + " ~" + changed.size();
    }
}
