package io.warren.tun.udp;

import io.warren.tun.Errno;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a receive loop does when {@code recvmmsg(2)} fails ({@link UdpReceiveBatch#receive} returned
 * {@code -errno}), one instance per loop. The decision only; the loop logs, pauses or stops.
 *
 * <ul>
 *   <li>{@link Action#STOP}: the socket is gone ({@code EBADF}, {@code ENOTSOCK}, {@code EBADFD}) or
 *       the call itself is wrong ({@code EFAULT}, {@code EINVAL}): receiving again fails the same way
 *       for ever, so the loop ends and says so.</li>
 *   <li>{@link Action#RETRY}: a passing error ({@code EINTR}, {@code ENOMEM}, a queued ICMP error
 *       such as {@code ECONNREFUSED}): receive again at once.</li>
 *   <li>{@link Action#PAUSE}: the same loop has failed {@link #PERSISTENT} times in a row without a
 *       datagram between: receive again after {@link #PAUSE_MILLIS}, so that an error that does not
 *       pass cannot hold a core at 100%.</li>
 * </ul>
 *
 * <p>{@link #failed} is the decision alone (unit-tested); {@link #failedAndWait} is what a receiving
 * thread calls: it also logs and pauses.
 *
 * <p>Threading: the receiving thread's own; not thread-safe.
 */
public final class ReceiveFailures {
    /** Failures in a row after which each further one is followed by a pause. */
    public static final int PERSISTENT = 8;
    /** The pause between receives while failures persist. */
    public static final int PAUSE_MILLIS = 10;

    /** What to do after a failed receive. */
    public enum Action {
        /** Receive again at once. */
        RETRY,
        /** Wait {@link #PAUSE_MILLIS}, then receive again. */
        PAUSE,
        /** End the loop: receiving can not work again on this socket. */
        STOP
    }

    private int inRow;

    /** Records a failed receive with {@code errno} (positive) and says what to do next. */
    public Action failed(int errno) {
        if (fatal(errno)) {
            return Action.STOP;
        }
        inRow = inRow == Integer.MAX_VALUE ? inRow : inRow + 1;
        return inRow >= PERSISTENT ? Action.PAUSE : Action.RETRY;
    }

    /**
     * {@link #failed}, then what the action asks of the receiving thread: a severe log line for
     * {@link Action#STOP} ({@code name}: receiving stops), a warning when failures become persistent,
     * a fine one otherwise; for {@link Action#PAUSE} the thread is parked {@link #PAUSE_MILLIS}.
     */
    public Action failedAndWait(int errno, String name, Logger log) {
        Action action = failed(errno);
        switch (action) {
            case STOP -> log.severe(name + ": receiving stops, nothing more comes in: " + Errno.describe(errno));
            case PAUSE -> {
                if (inRow == PERSISTENT) {
                    log.warning(name + ": receive keeps failing (" + Errno.describe(errno) + "); retrying every "
                            + PAUSE_MILLIS + " ms");
                }
                LockSupport.parkNanos(PAUSE_MILLIS * 1_000_000L);
            }
            case RETRY -> log.log(Level.FINE, name + ": receive failed: " + Errno.describe(errno));
        }
        return action;
    }

    /** Records a receive that worked (datagrams or a timeout): the next failure starts a new run. */
    public void succeeded() {
        inRow = 0;
    }

    /** Failures in a row so far (0 after a receive that worked). */
    public int inRow() {
        return inRow;
    }

    /** Whether {@code errno} means the socket can never receive again (see {@link Action#STOP}). */
    public static boolean fatal(int errno) {
        return errno == Errno.EBADF.number() || errno == Errno.ENOTSOCK.number()
                || errno == Errno.EBADFD.number() || errno == Errno.EFAULT.number()
                || errno == Errno.EINVAL.number();
    }
}
