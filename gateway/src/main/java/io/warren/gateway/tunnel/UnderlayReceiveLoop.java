package io.warren.gateway.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.tun.udp.ReceiveFailures;
import io.warren.tun.udp.UdpReceiveBatch;
import io.warren.tun.udp.UdpSocket;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The receive loop of a plain tunnel's underlay UDP socket (GRE-in-UDP, the shared VXLAN and L2TPv3
 * ports): {@code recvmmsg} bursts into a fixed ring ({@link UdpReceiveBatch}), each datagram handed to
 * a {@link Handler}, then {@link Handler#burstDone()}. A datagram whose handling throws is logged and
 * the loop goes on. A failed receive is handled as {@link ReceiveFailures} decides: a passing error is
 * retried, one that persists is retried with a pause between, and one that means the socket is gone
 * ends the loop (logged as severe: the tunnel receives nothing more).
 *
 * <p>Threading: {@link #run} occupies the calling thread until {@code stopping} says so. Buffers: the
 * ring and the per-slot {@link #view}s belong to this loop; a datagram is valid during its handler's
 * call only. Nothing is allocated per datagram.
 */
public final class UnderlayReceiveLoop {
    private static final Logger LOG = Logger.getLogger(UnderlayReceiveLoop.class.getName());

    /** What a receive thread does with each datagram and at the end of each burst. */
    public interface Handler {
        /** Datagram {@code slot} of {@code loop}'s {@link #batch()}, which may be truncated. */
        void datagram(UnderlayReceiveLoop loop, int slot);

        /** The burst's datagrams have all been handed over. */
        void burstDone();
    }

    private final UdpReceiveBatch batch;
    private final ByteBuf[] views;
    private final ReceiveFailures failures = new ReceiveFailures();

    /** A ring of {@code slots} datagrams of up to {@code maxDatagram} bytes, {@code headroom} bytes before each. */
    public UnderlayReceiveLoop(int slots, int maxDatagram, int headroom) {
        this.batch = new UdpReceiveBatch(slots, maxDatagram, headroom);
        this.views = new ByteBuf[slots];
    }

    /** The ring the current burst was received into. */
    public UdpReceiveBatch batch() {
        return batch;
    }

    /**
     * A Netty view of datagram {@code slot}, its reader and writer index at the datagram's bounds (the
     * headroom before it stays writable). Made once per slot: index i of the view is index i of the
     * slot's memory.
     */
    public ByteBuf view(int slot) {
        ByteBuffer d = batch.datagram(slot);
        ByteBuf view = views[slot];
        if (view == null) {
            view = Unpooled.wrappedBuffer(d.duplicate().clear());
            views[slot] = view;
        }
        view.setIndex(d.position(), d.limit());
        return view;
    }

    /**
     * Receives on {@code socket} (waiting up to {@code waitMillis} per call, so {@code stopping} is
     * looked at that often) until {@code stopping} is true; {@code name} names the socket in the log.
     */
    public void run(UdpSocket socket, int waitMillis, BooleanSupplier stopping, Handler handler, String name) {
        while (!stopping.getAsBoolean()) {
            int n = batch.receive(socket, waitMillis);
            if (n < 0) {
                if (stopping.getAsBoolean()
                        || failures.failedAndWait(-n, name, LOG) == ReceiveFailures.Action.STOP) {
                    return;
                }
                continue;
            }
            failures.succeeded();
            for (int i = 0; i < n; i++) {
                try {
                    handler.datagram(this, i);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, name + ": a received datagram could not be handled", e);
                }
            }
            if (n > 0) {
                handler.burstDone();
            }
        }
    }
}
