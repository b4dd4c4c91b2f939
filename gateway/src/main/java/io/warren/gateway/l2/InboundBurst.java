package io.warren.gateway.l2;

import java.util.ArrayList;
import java.util.List;

/**
 * The receive burst of one socket thread: the {@link TapWriter}s that hold merged TCP segments
 * since the burst began. A receive loop calls {@link #end()} when its socket has nothing more to
 * read (after each {@code recvmmsg} batch, or after each packet of a loop that reads one at a
 * time), so nothing is held past the burst it came in: coalescing adds no latency.
 */
final class InboundBurst {
    private static final ThreadLocal<List<TapWriter>> HOLDING = ThreadLocal.withInitial(ArrayList::new);

    private InboundBurst() {
    }

    /** {@code w} started holding segments on this thread. */
    static void holding(TapWriter w) {
        List<TapWriter> l = HOLDING.get();
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i) == w) {
                return;
            }
        }
        l.add(w);
    }

    /** The burst is over: every writer that holds segments writes them. */
    static void end() {
        List<TapWriter> l = HOLDING.get();
        for (int i = 0; i < l.size(); i++) {
            l.get(i).flush();
        }
        l.clear();
    }
}
