package io.warren.gateway.encap.gre;

/**
 * Receive-side sequence number check for one GRE tunnel, RFC 2890 §2.2 with in-order delivery
 * and no reordering buffer: a packet is delivered only if its Sequence Number is "after" the last
 * delivered one in serial number arithmetic (RFC 1982 §3.2, SERIAL_BITS = 32), so duplicates and
 * late packets are dropped. A packet jumping ahead by {@code window} or more is also dropped,
 * so one forged or corrupt number cannot advance the state by up to 2^31 and blackhole the tunnel.
 *
 * <p>The first packet, and the first after {@link #reset()}, is accepted and sets the state; a
 * peer that restarts from a lower number is therefore dropped as late until the owner calls
 * {@link #reset()} (e.g. on a tunnel reconfiguration). Not thread-safe.
 */
public final class GreSequence {

    /** Verdict for one received Sequence Number. */
    public enum Verdict {
        /** Deliver the packet. */
        IN_SEQUENCE,
        /** Equal to the last delivered number. */
        DUPLICATE,
        /** Before the last delivered number: out of order, dropped. */
        LATE,
        /** Ahead by the window or more: dropped. */
        TOO_FAR_AHEAD
    }

    /** Default window: 2^16 packets. */
    public static final long DEFAULT_WINDOW = 1L << 16;

    private final long window;
    private boolean synced;
    private int last;
    private long delivered;
    private long duplicates;
    private long late;
    private long tooFarAhead;
    private long lost;

    /** A check with {@link #DEFAULT_WINDOW}. */
    public GreSequence() {
        this(DEFAULT_WINDOW);
    }

    /** @param window largest accepted forward jump, 1..2^31 */
    public GreSequence(long window) {
        if (window < 1 || window > (1L << 31)) {
            throw new IllegalArgumentException("window must be 1..2^31");
        }
        this.window = window;
    }

    /** Checks and, if in sequence, records {@code sequence}. */
    public Verdict receive(int sequence) {
        if (!synced) {
            synced = true;
            last = sequence;
            delivered++;
            return Verdict.IN_SEQUENCE;
        }
        long distance = (sequence - last) & 0xFFFFFFFFL;
        if (distance == 0) {
            duplicates++;
            return Verdict.DUPLICATE;
        }
        if (distance >= (1L << 31)) {
            late++;
            return Verdict.LATE;
        }
        if (distance >= window) {
            tooFarAhead++;
            return Verdict.TOO_FAR_AHEAD;
        }
        lost += distance - 1;
        last = sequence;
        delivered++;
        return Verdict.IN_SEQUENCE;
    }

    /** Forgets the state: the next packet is accepted as the first. */
    public void reset() {
        synced = false;
    }

    /** The last delivered Sequence Number (meaningful once a packet was delivered). */
    public int last() {
        return last;
    }

    /** Packets delivered. */
    public long delivered() {
        return delivered;
    }

    /** Duplicates dropped. */
    public long duplicates() {
        return duplicates;
    }

    /** Late (out-of-order) packets dropped. */
    public long late() {
        return late;
    }

    /** Packets dropped for jumping too far ahead. */
    public long tooFarAhead() {
        return tooFarAhead;
    }

    /** Sequence numbers skipped by accepted packets: an estimate of packets lost or still late. */
    public long gaps() {
        return lost;
    }
}
