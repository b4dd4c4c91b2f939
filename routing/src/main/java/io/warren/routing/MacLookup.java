package io.warren.routing;

/**
 * Result of {@link MacTable#lookup}: forward the frame out of one port, or flood it to every port of
 * the segment but the one it came in on (IEEE 802.1Q-2018 §8.8, filtering database).
 *
 * @param <P> port type
 */
public sealed interface MacLookup<P> permits MacLookup.Forward, MacLookup.Flood {

    /** Why a frame is flooded. */
    enum FloodReason {
        /** Destination not in the table (never learned, aged out, or not learned because the table was full). */
        UNKNOWN,
        /** Group destination: broadcast or multicast. */
        GROUP
    }

    /** Known destination; kept by the table entries (shared by those of one port), so a lookup allocates nothing. */
    record Forward<P>(P port) implements MacLookup<P> {
    }

    /** Flood; use {@link #unknown()} and {@link #group()}, which are shared. */
    record Flood<P>(FloodReason reason) implements MacLookup<P> {
    }

    @SuppressWarnings("rawtypes")
    Flood UNKNOWN = new Flood<>(FloodReason.UNKNOWN);
    @SuppressWarnings("rawtypes")
    Flood GROUP = new Flood<>(FloodReason.GROUP);

    @SuppressWarnings("unchecked")
    static <P> Flood<P> unknown() {
        return UNKNOWN;
    }

    @SuppressWarnings("unchecked")
    static <P> Flood<P> group() {
        return GROUP;
    }
}
