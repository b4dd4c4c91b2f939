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

    @Test
    void table() {
        L2tpv3Sequence sequence = new L2tpv3Sequence();
        for (int row = 0; row < ROWS.length; row++) {
            Verdict verdict = sequence.receive(ROWS[row][0]);
            assertEquals(Verdict.values()[ROWS[row][1]], verdict, "row " + row);
            assertEquals(ROWS[row][2], sequence.expected(), "row " + row);
        }
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
}
