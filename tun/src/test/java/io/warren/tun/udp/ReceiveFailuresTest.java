package io.warren.tun.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.tun.Errno;
import org.junit.jupiter.api.Test;

class ReceiveFailuresTest {

    @Test
    void aGoneSocketStopsTheLoopAtOnce() {
        for (Errno e : new Errno[] {Errno.EBADF, Errno.ENOTSOCK, Errno.EBADFD, Errno.EFAULT, Errno.EINVAL}) {
            ReceiveFailures f = new ReceiveFailures();
            assertEquals(ReceiveFailures.Action.STOP, f.failed(e.number()), e.name());
            assertTrue(ReceiveFailures.fatal(e.number()));
        }
    }

    @Test
    void passingErrorsAreRetriedAtOnceThenWithPausesWhileTheyPersist() {
        ReceiveFailures f = new ReceiveFailures();
        int errno = Errno.ECONNREFUSED.number();
        assertFalse(ReceiveFailures.fatal(errno));
        for (int i = 1; i < ReceiveFailures.PERSISTENT; i++) {
            assertEquals(ReceiveFailures.Action.RETRY, f.failed(errno), "failure " + i);
        }
        assertEquals(ReceiveFailures.Action.PAUSE, f.failed(errno));
        assertEquals(ReceiveFailures.Action.PAUSE, f.failed(Errno.ENOMEM.number()));
        assertEquals(ReceiveFailures.PERSISTENT + 1, f.inRow());
    }

    @Test
    void aWorkingReceiveStartsANewRun() {
        ReceiveFailures f = new ReceiveFailures();
        for (int i = 0; i < 3 * ReceiveFailures.PERSISTENT; i++) {
            f.failed(Errno.EINTR.number());
        }
        f.succeeded();
        assertEquals(0, f.inRow());
        assertEquals(ReceiveFailures.Action.RETRY, f.failed(Errno.EINTR.number()));
    }

    @Test
    void unknownErrnoValuesAreNotFatal() {
        ReceiveFailures f = new ReceiveFailures();
        assertEquals(ReceiveFailures.Action.RETRY, f.failed(4095));
        assertEquals(ReceiveFailures.Action.RETRY, f.failed(-1));
    }
}
