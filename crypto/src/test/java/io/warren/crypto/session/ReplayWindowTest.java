package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The replay table of the kernel's {@code selftest/counter.c} (and wireguard-go's
 * {@code replay_test.go}): 34 numbered rows, then the window-edge sequences.
 */
class ReplayWindowTest {
    private static final long W = ReplayWindow.WINDOW_SIZE;
    private static final long T_LIM = W + 1;
    private static final long REJECT = Constants.REJECT_AFTER_MESSAGES;

    private ReplayWindow window = new ReplayWindow();
    private int row;

    private void t(long counter, boolean expected) {
        row++;
        assertEquals(expected, window.validate(counter), "row " + row + " counter " + Long.toUnsignedString(counter));
    }

    private void init() {
        window = new ReplayWindow();
    }

    @Test
    void windowSizeMatchesKernel() {
        assertEquals(8192 - 64, ReplayWindow.WINDOW_SIZE);
        assertEquals("18446744073709543423", Long.toUnsignedString(REJECT));
    }

    @Test
    void kernelTable() {
        t(0, true);                       // 1
        t(1, true);                       // 2
        t(1, false);                      // 3 duplicate
        t(9, true);                       // 4
        t(8, true);                       // 5 reordered
        t(7, true);                       // 6
        t(7, false);                      // 7
        t(T_LIM, true);                   // 8
        t(T_LIM - 1, true);               // 9
        t(T_LIM - 1, false);              // 10
        t(T_LIM - 2, true);               // 11
        t(2, true);                       // 12 just inside the window
        t(2, false);                      // 13
        t(T_LIM + 16, true);              // 14
        t(3, false);                      // 15 fell out of the window
        t(T_LIM + 16, false);             // 16
        t(T_LIM * 4, true);               // 17 jump: ring wraps
        t(T_LIM * 4 - (T_LIM - 1), true); // 18
        t(10, false);                     // 19
        t(T_LIM * 4 - T_LIM, false);      // 20
        t(T_LIM * 4 - (T_LIM + 1), false);// 21
        t(T_LIM * 4 - (T_LIM - 2), true); // 22
        t(T_LIM * 4 + 1 - T_LIM, false);  // 23
        t(0, false);                      // 24
        t(REJECT, false);                 // 25 at the limit
        t(REJECT - 1, true);              // 26 far-future jump
        t(REJECT, false);                 // 27
        t(REJECT - 1, false);             // 28
        t(REJECT - 2, true);              // 29
        t(REJECT + 1, false);             // 30
        t(REJECT + 2, false);             // 31
        t(REJECT - 2, false);             // 32
        t(REJECT - 3, true);              // 33
        t(0, false);                      // 34
        assertEquals(34, row);
    }

    @Test
    void fillWholeWindowThenZero() {
        for (long i = 1; i <= W; i++) {
            t(i, true);
        }
        t(0, true);
        t(0, false);
    }

    @Test
    void zeroFallsOutOneBeyondWindow() {
        for (long i = 2; i <= W + 1; i++) {
            t(i, true);
        }
        t(1, true);
        t(0, false);
    }

    @Test
    void descendingWholeWindow() {
        for (long i = W + 1; i-- > 0; ) {
            t(i, true);
        }
    }

    @Test
    void descendingThenZeroTooOld() {
        for (long i = W + 2; i-- > 1; ) {
            t(i, true);
        }
        t(0, false);
    }

    @Test
    void descendingThenAdvanceThenZeroTooOld() {
        for (long i = W + 1; i-- > 1; ) {
            t(i, true);
        }
        t(W + 1, true);
        t(0, false);
    }

    @Test
    void descendingThenZeroThenAdvance() {
        for (long i = W + 1; i-- > 1; ) {
            t(i, true);
        }
        t(0, true);
        t(W + 1, true);
    }

    @Test
    void explicitLimitIsUnsigned() {
        assertFalse(window.validate(-1L, 100));
        assertTrue(window.validate(99, 100));
        assertFalse(window.validate(100, 100));
        window.reset();
        assertTrue(window.validate(99, 100));
    }
}
