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

    /**
     * RFC 2890 §2.2 asks for "unreliable but in-order delivery": packets may be lost, and the ones
     * after a loss are delivered. A loss of a whole window (65536 packets: well under a second at
     * line rate) used to leave every later packet TOO_FAR_AHEAD forever.
     */
    @Test
    void aLossOfAWholeWindowDoesNotBlackholeTheTunnel() {
        GreSequence sequence = new GreSequence(1000);
        assertEquals(Verdict.IN_SEQUENCE, sequence.receive(0));
        int next = 5000; // 4999 packets lost
        for (int i = 0; i < GreSequence.RESYNC_RUN - 1; i++) {
            assertEquals(Verdict.TOO_FAR_AHEAD, sequence.receive(next++), "packet " + i + " of the run");
        }
        assertEquals(Verdict.RESYNCHRONISED, sequence.receive(next++));
        assertEquals(Verdict.IN_SEQUENCE, sequence.receive(next++));
        assertEquals(Verdict.LATE, sequence.receive(4999), "the run before the resync point stays dropped");
        assertEquals(1, sequence.resyncs());
    }

    /**
     * A peer that restarts sends 0, 1, 2... again (RFC 2890 §2.2: "The first datagram is sent with a
     * sequence number of 0"; the receiver's state belongs to the establishment of the tunnel). With
     * static tunnels nothing signals that, so a run of consecutive numbers far behind means a restart.
     */
    @Test
    void aRestartedPeerIsFollowedAfterAShortRun() {
        GreSequence sequence = new GreSequence(1000);
        for (int s = 0; s <= 3000; s += 500) {
            assertEquals(Verdict.IN_SEQUENCE, sequence.receive(s));
        }
        for (int s = 0; s < GreSequence.RESYNC_RUN - 1; s++) {
            assertEquals(Verdict.LATE, sequence.receive(s));
        }
        assertEquals(Verdict.RESYNCHRONISED, sequence.receive(GreSequence.RESYNC_RUN - 1));
        assertEquals(Verdict.IN_SEQUENCE, sequence.receive(GreSequence.RESYNC_RUN));
    }

    /** Reordering inside the window never moves the state back, and in-order traffic breaks a run. */
    @Test
    void reorderingAndInterleavedForgeriesDoNotResynchronise() {
        GreSequence sequence = new GreSequence(1000);
        sequence.receive(500);
        for (int s = 490; s < 500; s++) {
            assertEquals(Verdict.LATE, sequence.receive(s), "late inside the window: dropped, RFC 2890 §2.2");
        }
        int forged = 900_000;
        for (int i = 0; i < 3 * GreSequence.RESYNC_RUN; i++) {
            assertEquals(Verdict.TOO_FAR_AHEAD, sequence.receive(forged++));
            if (i % (GreSequence.RESYNC_RUN - 1) == 0) {
                assertEquals(Verdict.IN_SEQUENCE, sequence.receive(sequence.last() + 1), "live stream");
            }
        }
        // Duplicates of one far number are no run either.
        for (int i = 0; i < 3 * GreSequence.RESYNC_RUN; i++) {
            assertEquals(Verdict.TOO_FAR_AHEAD, sequence.receive(5_000_000));
        }
        assertEquals(0, sequence.resyncs());
    }

    @Test
    void runsAcrossTheWrapResynchronise() {
        GreSequence sequence = new GreSequence(1000);
        sequence.receive(0x10000);
        int s = 0xfffffffe;
        Verdict v = null;
        for (int i = 0; i < GreSequence.RESYNC_RUN; i++) {
            v = sequence.receive(s++);
        }
        assertEquals(Verdict.RESYNCHRONISED, v);
        assertEquals(2, sequence.last());
        assertEquals(Verdict.IN_SEQUENCE, sequence.receive(3));
    }
}
