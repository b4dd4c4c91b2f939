package io.warren.gateway.encap.gre;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warren.gateway.encap.gre.GreSequence.Verdict;
import org.junit.jupiter.api.Test;

class GreSequenceTest {

    /** (received sequence number, expected verdict), fed in order to one receiver with window 1000. */
    private static final Object[][] TABLE = {
        {0xfffffff0, Verdict.IN_SEQUENCE},   // first packet sets the state
        {0xfffffff1, Verdict.IN_SEQUENCE},
        {0xfffffff1, Verdict.DUPLICATE},
        {0xfffffff0, Verdict.LATE},
        {0xfffffffe, Verdict.IN_SEQUENCE},   // gap of 12
        {0x00000002, Verdict.IN_SEQUENCE},   // wraps through 0 (RFC 1982 serial arithmetic)
        {0xffffffff, Verdict.LATE},          // before 2 across the wrap
        {0x00000002, Verdict.DUPLICATE},
        {0x000003ea, Verdict.TOO_FAR_AHEAD}, // 1000 ahead: outside the window
        {0x000003e9, Verdict.IN_SEQUENCE},   // 999 ahead: inside
        {0x800003e9, Verdict.LATE},          // exactly 2^31 away: undefined in RFC 1982, treated as late
        {0x000003ea, Verdict.IN_SEQUENCE},
    };

    @Test
    void table() {
        GreSequence sequence = new GreSequence(1000);
        for (int row = 0; row < TABLE.length; row++) {
            assertEquals(TABLE[row][1], sequence.receive((Integer) TABLE[row][0]), "row " + row);
        }
        assertEquals(6, sequence.delivered());
        assertEquals(2, sequence.duplicates());
        assertEquals(3, sequence.late());
        assertEquals(1, sequence.tooFarAhead());
        assertEquals(12 + 3 + 998, sequence.gaps());
        assertEquals(0x3ea, sequence.last());
    }

    @Test
    void resetAcceptsTheNextPacketAsFirst() {
        GreSequence sequence = new GreSequence();
        assertEquals(Verdict.IN_SEQUENCE, sequence.receive(5000));
        assertEquals(Verdict.LATE, sequence.receive(1));
        sequence.reset();
        assertEquals(Verdict.IN_SEQUENCE, sequence.receive(1));
        assertEquals(Verdict.IN_SEQUENCE, sequence.receive(2));
    }
}
