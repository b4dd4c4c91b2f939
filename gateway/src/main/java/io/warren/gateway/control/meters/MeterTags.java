package io.warren.gateway.control.meters;

import java.util.ArrayList;
import java.util.List;

/**
 * The labels of a meter as key/value pairs, in the order given: what Micrometer's {@code Tags} are
 * to its meters, kept as our own type so that services describe their meters without loading
 * Micrometer while metrics are off ({@link Meters}). Immutable.
 */
public final class MeterTags {
    private static final MeterTags EMPTY = new MeterTags(List.of());

    private final List<String> keysAndValues;

    private MeterTags(List<String> keysAndValues) {
        this.keysAndValues = keysAndValues;
    }

    /** No labels. */
    public static MeterTags empty() {
        return EMPTY;
    }

    /** One label {@code key=value}. */
    public static MeterTags of(String key, String value) {
        return new MeterTags(List.of(key, value));
    }

    /** These labels followed by {@code more}'s. */
    public MeterTags and(MeterTags more) {
        if (more.keysAndValues.isEmpty()) {
            return this;
        }
        if (keysAndValues.isEmpty()) {
            return more;
        }
        List<String> all = new ArrayList<>(keysAndValues);
        all.addAll(more.keysAndValues);
        return new MeterTags(List.copyOf(all));
    }

    /** Keys and values alternating, as Micrometer's {@code Tags.of(String...)} takes them. */
    String[] keysAndValues() {
        return keysAndValues.toArray(new String[0]);
    }
}
