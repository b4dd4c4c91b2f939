package io.warren.crypto.session;

/**
 * The earliest §6 timer deadline that any peer of one {@link Device} may have armed: a lower bound
 * that lets the shell's timer tick skip the whole peer table when nothing can fire (the kernel and
 * wireguard-go arm one kernel/Go timer per deadline instead; a table of deadlines walked on a fixed
 * tick needs this bound to cost nothing at idle).
 *
 * <p>Every deadline a peer arms is {@link #offer offered} here; a deadline that is cancelled or
 * pushed later leaves the bound early, which costs one walk that fires nothing. A walk
 * ({@link Device#updateTimers}) starts from no bound and every peer offers what it still has
 * armed, so after a walk the bound is exact again. Not thread-safe: used under the shell's lock,
 * like the peers.
 */
final class NextDeadline {
    private boolean armed;
    private long at;

    /** Lowers the bound to {@code deadline} (monotonic nanos, wrap-safe) if it is earlier. */
    void offer(long deadline) {
        if (!armed || deadline - at < 0) {
            armed = true;
            at = deadline;
        }
    }

    /** True when some deadline may have been reached at {@code now}: a walk is worth it. */
    boolean due(long now) {
        return armed && ProtocolTimers.reached(now, at);
    }

    /** Forgets the bound: the start of a walk in which every peer offers again. */
    void clear() {
        armed = false;
    }
}
