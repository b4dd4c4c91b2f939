package io.warren.gateway.transport;

import io.warren.tun.udp.ReceiveFailures;
import io.warren.tun.udp.UdpReceiveBatch;
import io.warren.tun.udp.UdpSocket;
import io.warren.tun.udp.UdpSource;
import io.warren.tun.udp.UdpWire;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The interface's receiving thread: {@code recvmmsg(2)} into a fixed ring of direct buffers
 * ({@link UdpReceiveBatch}), each datagram handed to {@link InboundPath#datagram} with its
 * source read in place ({@link UdpSource}: no address object per datagram), a UDP GRO run split in
 * place first ({@link GroSplitter}). A burst is one batch for the interface
 * ({@link InboundPath#batchStart} ... {@link InboundPath#burstDone}):
 * its data messages are admitted under one hold of the interface's lock, opened with it released,
 * accepted under it again, and written to the TUN after it
 * is released. When the burst filled the ring (more is likely queued) and {@link ReceiveOptions#CARRY}
 * is on, a partly merged TCP run is carried into the next burst, which then looks without waiting:
 * if the socket is empty the run is written at once, so a drained socket never holds packets.
 *
 * <p>Bad input never stops the loop: a datagram longer than its slot ({@code MSG_TRUNC}), cut
 * control data ({@code MSG_CTRUNC}), an unreadable source or GRO segment size is dropped and
 * counted; an exception while handling one datagram is counted and logged, and the next one is
 * handled. A failed receive is retried, with a pause between while it persists, unless the socket is
 * gone ({@link ReceiveFailures}): then the thread ends and says so. {@link #stop()} shuts the
 * socket's receiving side (which wakes the thread) and joins it; the owner closes the socket
 * afterwards.
 */
final class ReceiveLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(ReceiveLoop.class.getName());
    /** How long one wait for datagrams lasts before the stop flag is looked at again. */
    private static final int WAIT_MILLIS = 1000;
    /** Results of {@link #once}. */
    static final int DRAINED = 0;
    static final int FULL = 1;
    static final int STOP = 2;

    private final WireGuardInterface iface;
    private final InboundPath inbound;
    private final UdpSocket socket;
    private final UdpReceiveBatch batch;
    private final UdpSource source = new UdpSource();
    private final ReceiveFailures failures = new ReceiveFailures();
    private final Thread thread;
    private volatile boolean stopping;

    /** Starts receiving on {@code socket} for {@code iface} (GRO runs expected when {@code gro}). */
    static ReceiveLoop start(WireGuardInterface iface, UdpSocket socket, boolean gro) {
        ReceiveLoop loop = new ReceiveLoop(iface, socket, ReceiveOptions.batch(gro, iface.mtu()));
        loop.thread.start();
        return loop;
    }

    ReceiveLoop(WireGuardInterface iface, UdpSocket socket, UdpReceiveBatch batch) {
        this.iface = iface;
        this.socket = socket;
        this.batch = batch;
        this.inbound = iface.inbound();
        this.thread = new Thread(this, "warren-" + iface.name() + "-udp");
        this.thread.setDaemon(true);
    }

    @Override
    public void run() {
        boolean drained = true;
        int result;
        while ((result = once(drained)) != STOP) {
            drained = result == DRAINED;
        }
    }

    /**
     * One wakeup: receive (waiting first when the last receive {@code drained} the queue), hand
     * every datagram on, flush the burst. Its own small method, so that the JIT compiles it as a
     * whole: {@link #run} never returns and would run interpreted, or as an on-stack replacement.
     * Nothing follows the burst's TUN writes but the coalescer flush before the thread blocks again
     * (with a carried run, the flush comes after a receive that does not wait).
     *
     * @return {@link #DRAINED} when fewer datagrams came than the batch holds (the queue is likely
     *         empty: wait first next time), {@link #FULL} when the batch was filled, {@link #STOP}
     */
    int once(boolean drained) {
        if (stopping) {
            return STOP;
        }
        // Merged TCP segments carried over from a full burst: look without waiting, flush if empty.
        boolean held = ReceiveOptions.CARRY && inbound.held();
        int n = batch.receive(socket, held ? 0 : WAIT_MILLIS, drained && !held);
        if (n < 0) {
            if (stopping) {
                return STOP;
            }
            if (held) {
                burstDone(false); // the carried run goes out now, not after a pause
            }
            ReceiveFailures.Action action = failures.failedAndWait(-n, iface.name(), LOG);
            return action == ReceiveFailures.Action.STOP ? STOP : DRAINED;
        }
        failures.succeeded();
        boolean full = n == batch.capacity();
        if (n > 0 || held) {
            inbound.batchStart();
            try {
                for (int i = 0; i < n; i++) {
                    handle(i);
                }
            } finally {
                burstDone(full && ReceiveOptions.CARRY);
            }
        }
        return full ? FULL : DRAINED;
    }

    private void handle(int i) {
        ShellCounters counters = iface.counters();
        if (batch.truncated(i)) {
            counters.count(ShellCounters.Reason.INBOUND_TRUNCATED);
            return;
        }
        if (batch.controlTruncated(i)) {
            counters.count(ShellCounters.Reason.INBOUND_CONTROL_TRUNCATED);
            return;
        }
        if (!batch.source(i, source)) {
            counters.count(ShellCounters.Reason.INBOUND_BAD_SOURCE);
            return;
        }
        dispatch(batch.datagram(i), batch.segmentSize(i), source);
    }

    /**
     * One receive: a datagram ({@code segmentSize} 0) or a GRO run of datagrams
     * {@code segmentSize} bytes apart; {@link UdpWire#MALFORMED} is dropped and counted.
     */
    void dispatch(ByteBuffer received, int segmentSize, UdpSource from) {
        try {
            if (segmentSize == 0 || segmentSize >= received.remaining()) {
                inbound.datagram(received, from);
            } else if (GroSplitter.split(received, segmentSize, from, inbound) == GroSplitter.MALFORMED) {
                iface.counters().count(ShellCounters.Reason.INBOUND_GRO_MALFORMED);
            }
        } catch (RuntimeException e) {
            iface.counters().count(ShellCounters.Reason.INBOUND_FAILED);
            LOG.log(Level.WARNING, iface.name() + ": a received datagram could not be handled", e);
        }
    }

    private void burstDone(boolean more) {
        try {
            inbound.burstDone(more);
        } catch (RuntimeException e) {
            iface.counters().count(ShellCounters.Reason.INBOUND_FAILED);
            LOG.log(Level.WARNING, iface.name() + ": flushing a receive burst failed", e);
        }
    }

    /** Stops the thread and waits for it (at most two seconds); the socket stays open. */
    void stop() {
        stopping = true;
        socket.shutdownInput();
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warning(iface.name() + ": the receive thread did not stop");
        }
    }
}
