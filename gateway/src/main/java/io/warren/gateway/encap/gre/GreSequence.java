package io.warren.gateway.encap.gre;

/**
 * Receive-side sequence number check for one GRE tunnel, RFC 2890 §2.2 with in-order delivery
 * and no reordering buffer: a packet is delivered only if its Sequence Number is "after" the last
 * delivered one in serial number arithmetic (RFC 1982 §3.2, SERIAL_BITS = 32), so duplicates and
 * late packets are dropped. A packet jumping ahead by {@code window} or more is also dropped,
 * so one forged or corrupt number cannot advance the state by up to 2^31 and blackhole the tunnel.
 *
 * <p>Resynchronisation: RFC 2890 §2.2 asks for "unreliable but in-order delivery", so neither a
 * loss of a whole window nor a peer that restarted from 0 (a new establishment of the tunnel, which
 * static tunnels cannot signal) may stop delivery for good. A run of {@link #RESYNC_RUN}
 * consecutive Sequence Numbers that are all out of the window (ahead by the window or more, or
 * behind by the window or more) is taken as the peer's new numbering: the last one of the run is
 * delivered and the state moves to it, as Linux's L2TP receiver does for its sequence numbers
 * ({@code nr_oos_count_max}). Reordering inside the window never moves the state back; an
 * in-sequence packet breaks a run, and so does a duplicate or any number that does not follow.
 *
 * <p>The first packet, and the first after {@link #reset()}, is accepted and sets the state.
 * Not thread-safe.
 */
public final class GreSequence {

    /** Verdict for one received Sequence Number. */
    public enum Verdict {
        /** Deliver the packet. */
        IN_SEQUENCE,
        /** The last of a run of {@link #RESYNC_RUN} out-of-window numbers: deliver, state moved. */
        RESYNCHRONISED,
        /** Equal to the last delivered number. */
        DUPLICATE,
        /** Before the last delivered number: out of order, dropped. */
        LATE,
        /** Ahead by the window or more: dropped. */
        TOO_FAR_AHEAD;

        /** Whether the packet is delivered. */
        public boolean deliver() {
            return this == IN_SEQUENCE || this == RESYNCHRONISED;
        }
    }

    /** Consecutive out-of-window Sequence Numbers after which the receiver follows them. */
    public static final int RESYNC_RUN = 5;

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
    private long resyncs;
    /** The latest out-of-window number and how many consecutive ones ended with it (0: no run). */
    private int runLast;
    private int runLength;

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
            runLength = 0;
            last = sequence;
            delivered++;
            return Verdict.IN_SEQUENCE;
        }
        long distance = (sequence - last) & 0xFFFFFFFFL;
        if (distance == 0) {
            duplicates++;
            return Verdict.DUPLICATE;
        }
        boolean behind = distance >= (1L << 31);
        if (!behind && distance < window) {
            runLength = 0;
            lost += distance - 1;
            last = sequence;
            delivered++;
            return Verdict.IN_SEQUENCE;
        }
        if (!behind || (1L << 32) - distance >= window) {
            runLength = runLength > 0 && sequence == runLast + 1 ? runLength + 1 : 1;
            runLast = sequence;
            if (runLength >= RESYNC_RUN) {
                runLength = 0;
                last = sequence;
                delivered++;
                resyncs++;
                return Verdict.RESYNCHRONISED;
            }
        }
        if (behind) {
            late++;
            return Verdict.LATE;
        }
        tooFarAhead++;
        return Verdict.TOO_FAR_AHEAD;
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

    /** Times the state followed a run of out-of-window numbers. */
    public long resyncs() {
        return resyncs;
    }

    /** Sequence numbers skipped by accepted packets: an estimate of packets lost or still late. */
    public long gaps() {
        return lost;
    }
}
