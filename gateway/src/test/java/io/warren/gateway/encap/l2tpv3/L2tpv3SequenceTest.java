package io.warren.gateway.encap.l2tpv3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warren.gateway.encap.l2tpv3.L2tpv3Sequence.Verdict;
import org.junit.jupiter.api.Test;

class L2tpv3SequenceTest {

    /** (received ns, verdict, expected nr afterwards): Linux l2tp_recv_data_seq with reorder_timeout 0. */
    private static final int[][] ROWS = {
        {0, 0, 1},
        {1, 0, 2},
        {1, 3, 2},          // behind by one: outside the window (distance 0xffffff)
        {3, 2, 2},          // one lost: out of sequence, dropped
        {4, 2, 2},          // oos count 1
        {5, 2, 2},          // 2
        {6, 2, 2},          // 3
        {7, 2, 2},          // 4
        {8, 1, 9},          // 5 > OOS_COUNT_MAX: resynchronise
        {9, 0, 10},
        {0x800009, 3, 10},  // distance 0x7fffff = window: outside
        {0x800008, 2, 10},  // distance 0x7ffffe: inside, out of sequence
    };

    /** Feeds (ns, verdict ordinal, expected nr afterwards) rows to a new receiver; returns it. */
    private static L2tpv3Sequence feed(int[][] rows) {
        L2tpv3Sequence sequence = new L2tpv3Sequence();
        for (int row = 0; row < rows.length; row++) {
            Verdict verdict = sequence.receive(rows[row][0]);
            assertEquals(Verdict.values()[rows[row][1]], verdict, "row " + row);
            assertEquals(rows[row][2], sequence.expected(), "row " + row);
        }
        return sequence;
    }

    @Test
    void table() {
        L2tpv3Sequence sequence = feed(ROWS);
        assertEquals(4, sequence.delivered());
        assertEquals(8, sequence.discarded());
    }

    @Test
    void wrapsAt24Bits() {
        L2tpv3Sequence sequence = new L2tpv3Sequence();
        for (int i = 0; i < 0xffffff; i++) {
            sequence.nextSend();
        }
        assertEquals(0xffffff, sequence.nextSend());
        assertEquals(0, sequence.nextSend());
        L2tpv3Sequence receiver = new L2tpv3Sequence();
        for (int i = 0; i <= 0xffffff; i++) {
            receiver.receive(i);
        }
        assertEquals(0, receiver.expected());
        assertEquals(Verdict.IN_SEQUENCE, receiver.receive(0));
        assertEquals(Verdict.OUT_OF_WINDOW, receiver.receive(0xffffff));
    }

    /**
     * (received ns, verdict, expected nr afterwards) for a receiver that starts at 0 while the peer's
     * static session keeps counting from where it was (Warren restarted; Linux keeps {@code ns}):
     * more than half the space ahead, every packet is outside the window. They used to be dropped
     * until the peer's counter came round to 0 again (up to 2^23 packets); now a run of consecutive
     * numbers resynchronises as inside the window (RFC 3931 §4.6.1: sequencing exists to detect
     * loss and misordering, not to stop a session for good).
     */
    private static final int[][] PEER_AHEAD = {
        {10_000_000, 3, 0},
        {10_000_001, 3, 0},
        {10_000_002, 3, 0},
        {10_000_003, 3, 0},
        {10_000_004, 3, 0},
        {10_000_005, 1, 10_000_006},
        {10_000_006, 0, 10_000_007},
        {0, 2, 10_000_007},  // the old numbering: out of sequence
    };

    @Test
    void aPeerMoreThanHalfTheSpaceAheadIsFollowedAfterARun() {
        feed(PEER_AHEAD);
    }

    /** A peer whose session was re-created starts again at 0 while we expect a number past 2^23. */
    @Test
    void aRestartedPeerIsFollowedAfterARun() {
        L2tpv3Sequence sequence = new L2tpv3Sequence();
        for (int i = 0; i < 100; i++) {
            sequence.receive(i);
        }
        Verdict last = null;
        for (int i = 0; i <= L2tpv3Sequence.OOS_COUNT_MAX + 1; i++) {
            last = sequence.receive(0x100000 + i); // a loss inside the window: Linux's resync
        }
        assertEquals(Verdict.RESYNCHRONISED, last);
        assertEquals(0x100006, sequence.expected());
        for (int i = 0; i <= L2tpv3Sequence.OOS_COUNT_MAX; i++) {
            assertEquals(Verdict.OUT_OF_WINDOW, sequence.receive(i), "restart, packet " + i);
        }
        assertEquals(Verdict.RESYNCHRONISED, sequence.receive(L2tpv3Sequence.OOS_COUNT_MAX + 1));
        assertEquals(Verdict.IN_SEQUENCE, sequence.receive(L2tpv3Sequence.OOS_COUNT_MAX + 2));
    }
}
