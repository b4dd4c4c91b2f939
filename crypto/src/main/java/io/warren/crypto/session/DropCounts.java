package io.warren.crypto.session;

/**
 * One peer's drop counters by {@link DropReason}, shared by its outbound ({@link PeerOutbound}),
 * inbound ({@link PeerInbound}) and timer ({@link Peer#updateTimers}) halves.
 *
 * <p>Threading: plain longs, written inside the peer's serialisation only (the shell's lock);
 * read by the shell for status. Allocation: none (drops return the shared result per reason).
 */
final class DropCounts {
    private final long[] counts = new long[DropReason.values().length];

    /** Counts {@code reason} and returns its shared result. */
    Outcome.Drop drop(DropReason reason) {
        count(reason);
        return Outcome.Drop.of(reason);
    }

    /** Counts {@code reason} and returns it (for the halves that return a reason, not a result). */
    DropReason refuse(DropReason reason) {
        count(reason);
        return reason;
    }

    void count(DropReason reason) {
        counts[reason.ordinal()]++;
    }

    /** Counts {@code n} packets dropped at once for {@code reason}. */
    void add(DropReason reason, int n) {
        counts[reason.ordinal()] += n;
    }

    long get(DropReason reason) {
        return counts[reason.ordinal()];
    }
}
