package io.warren.gateway.encap.l2tpv3;

/**
 * Sequence numbers of one session's default L2-Specific Sublayer (RFC 3931 §4.6: 24 bits,
 * wrapping), with Linux's receive behaviour when reordering is off ({@code reorder_timeout 0}):
 * only the expected number is delivered; a number more than half the space ahead is outside the
 * window and dropped; other out-of-sequence numbers are dropped too, except that after more than
 * {@link #OOS_COUNT_MAX} consecutive packets that are in sequence with each other (but not with
 * us) the receiver resynchronises to them, so that a loss does not stall the session forever.
 * Unlike Linux, out-of-window packets count towards such a run as well: a peer whose counter is
 * more than half the space away from ours (we restarted, or its session was re-created) would
 * otherwise be dropped for up to 2^23 packets. Both directions start at 0, as in Linux. Not
 * thread-safe.
 */
public final class L2tpv3Sequence {

    /** Consecutive out-of-sequence-but-consecutive packets tolerated before resync (Linux: 4). */
    public static final int OOS_COUNT_MAX = 4;
    /** Size of the sequence space minus one. */
    static final int NR_MAX = L2tpv3Wire.SEQUENCE_MASK;
    /** Receive window: half the sequence space (Linux {@code nr_window_size = nr_max / 2}). */
    static final int WINDOW = NR_MAX / 2;

    /** Verdict for one received Sequence Number. */
    public enum Verdict {
        /** The expected number: deliver. */
        IN_SEQUENCE,
        /** Out of sequence but a resync point was reached: deliver, state moved. */
        RESYNCHRONISED,
        /** Not the expected number: drop. */
        OUT_OF_SEQUENCE,
        /** Too far from the expected number: drop. */
        OUT_OF_WINDOW
    }

    private int ns;
    private int nr;
    private int nrOos = NR_MAX;
    private int nrOosCount;
    private long delivered;
    private long discarded;

    /** The Sequence Number to put in the next sent packet; advances the send counter. */
    public int nextSend() {
        int value = ns;
        ns = (ns + 1) & NR_MAX;
        return value;
    }

    /** Checks a received Sequence Number. */
    public Verdict receive(int sequence) {
        int s = sequence & NR_MAX;
        int distance = (s - nr) & NR_MAX;
        if (distance == 0) {
            nr = (nr + 1) & NR_MAX;
            delivered++;
            return Verdict.IN_SEQUENCE;
        }
        // Out-of-window numbers count towards a run too (Linux drops them before counting, so a
        // peer more than half the space away stalls the session until its counter comes round).
        nrOosCount = s == ((nrOos + 1) & NR_MAX) ? nrOosCount + 1 : 0;
        nrOos = s;
        if (nrOosCount > OOS_COUNT_MAX) {
            nrOosCount = 0;
            nr = (s + 1) & NR_MAX;
            delivered++;
            return Verdict.RESYNCHRONISED;
        }
        discarded++;
        return distance >= WINDOW ? Verdict.OUT_OF_WINDOW : Verdict.OUT_OF_SEQUENCE;
    }

    /** The next expected received Sequence Number. */
    public int expected() {
        return nr;
    }

    /** Packets delivered. */
    public long delivered() {
        return delivered;
    }

    /** Packets dropped for sequence reasons (Linux {@code rx_seq_discards}). */
    public long discarded() {
        return discarded;
    }
}
