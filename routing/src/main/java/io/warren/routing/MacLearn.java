package io.warren.routing;

/**
 * Outcome of {@link MacTable#learn}, one counter each (IEEE 802.1Q-2018 §8.7 learning process).
 */
public enum MacLearn {
    /** New dynamic entry. */
    LEARNED,
    /** Known on the same port; age reset. */
    REFRESHED,
    /** Known on another port (or aged out there); moved. Many of these mean a loop or a spoofer. */
    MOVED,
    /** A static entry exists for another port; static entries never move. */
    STATIC_KEPT,
    /** New address but the dynamic bound is reached; not learned until aging frees space. */
    TABLE_FULL,
    /** Group (multicast/broadcast) source address: never learned. */
    INVALID_SOURCE
}
