package io.warren.gateway.tunnel.gre;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.warren.gateway.packet.IpProtocols;
import io.warren.tun.raw.RawBatch;
import io.warren.tun.raw.RawFamily;
import io.warren.tun.raw.RawSocket;
import io.warren.tun.raw.RawSocketException;
import io.warren.gateway.tunnel.UnderlayBuffers;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * GRE over IP (protocol 47, RFC 2784) on a raw socket connected to the remote endpoint (so the
 * kernel delivers only its packets) and bound to the local one when pinned. The kernel builds the
 * outer IP header and reassembles outer fragments; an IPv4 receive starts with the outer header,
 * which is stripped here.
 *
 * <p>A raw socket has no segmentation offload, so batching is what the syscalls allow: sends are
 * queued (pointing at the caller's memory) and leave in one {@code sendmmsg(2)} per
 * {@link #flush()} or {@value #SEND_BATCH} packets; one receive thread takes up to
 * {@value #RECEIVE_BATCH} packets per {@code recvmmsg(2)} and ends each burst with
 * {@link Receiver#burstDone()}. Sends happen on the caller's (the TUN reader's) thread.
 */
public final class RawGreUnderlay implements GreUnderlay {
    /**
     * The long-lived data-path buffers (allocated once, released in {@code finally}) are not
     * leak-tracked: with paranoid leak detection every access would record a stack trace.
     */
    private static final UnpooledByteBufAllocator LONG_LIVED = new UnpooledByteBufAllocator(true, true);
    private static final Logger LOG = Logger.getLogger(RawGreUnderlay.class.getName());
    static final int SEND_BATCH = 64;
    static final int RECEIVE_BATCH = 32;
    /** Room per received packet: jumbo underlays and reassembled outer fragments up to 16 KB. */
    private static final int SLOT = 16 * 1024;
    /** Free bytes before each receive slot, so an IPv6 receive (no outer header) has headroom too. */
    private static final int SLOT_HEADROOM = 16;

    private final String name;
    private final RawSocket socket;
    private final boolean v4;
    /** Queued sends; used only by the sending thread. */
    private final RawBatch pending = new RawBatch(SEND_BATCH);
    private int pendingRefused;
    /** Runs sent at once ({@link #sendRunNow}); used only by the sending thread. */
    private final RawBatch immediate = new RawBatch(SEND_BATCH);
    private Thread thread;

    private RawGreUnderlay(String name, RawSocket socket) {
        this.name = name;
        this.socket = socket;
        this.v4 = socket.family() == RawFamily.INET;
    }

    /** Opens the socket; {@code local} may be null (any local address). */
    public static RawGreUnderlay open(String name, InetAddress local, InetAddress remote) throws IOException {
        RawSocket s = RawSocket.open(RawFamily.of(remote), IpProtocols.GRE);
        try {
            if (local != null) {
                s.bind(local);
            }
            s.connect(remote);
            s.setBufferSizes(UnderlayBuffers.RECEIVE, UnderlayBuffers.SEND);
            return new RawGreUnderlay(name, s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The path MTU toward the remote endpoint, as the kernel knows it now. */
    public int pathMtu() throws IOException {
        return socket.pathMtu();
    }

    @Override
    public synchronized void start(Receiver receiver) {
        thread = new Thread(() -> receiveLoop(receiver), "warren-" + name + "-gre-rx");
        thread.setDaemon(true);
        thread.start();
    }

    private void receiveLoop(Receiver receiver) {
        int slotSize = SLOT_HEADROOM + SLOT;
        ByteBuf all = LONG_LIVED.directBuffer(RECEIVE_BATCH * slotSize, RECEIVE_BATCH * slotSize);
        ByteBuf[] slots = new ByteBuf[RECEIVE_BATCH];
        RawBatch batch = new RawBatch(RECEIVE_BATCH);
        try {
            long base = RawBatch.address(all.nioBuffer(0, all.capacity()));
            for (int i = 0; i < RECEIVE_BATCH; i++) {
                slots[i] = all.slice(i * slotSize, slotSize);
                batch.add(base + (long) i * slotSize + SLOT_HEADROOM, SLOT);
            }
            while (!socket.isClosed()) {
                int n;
                try {
                    n = socket.receiveBatch(batch);
                } catch (RawSocketException e) {
                    // A connected raw socket reports ICMP errors for earlier sends (e.g. protocol
                    // unreachable, ENOPROTOOPT, while the peer's endpoint is not up yet) once, on the
                    // next call: the socket stays usable.
                    receiver.underlayError();
                    LOG.log(Level.FINE, name + ": " + e.getMessage());
                    continue;
                } catch (IOException e) {
                    if (!socket.isClosed()) {
                        LOG.log(Level.SEVERE, name + ": GRE receive failed, inbound traffic stops: " + e.getMessage());
                    }
                    return;
                }
                for (int i = 0; i < n; i++) {
                    deliver(receiver, slots[i], batch.length(i));
                }
                receiver.burstDone();
            }
        } finally {
            all.release();
        }
    }

    private void deliver(Receiver receiver, ByteBuf slot, int length) {
        if (length > SLOT) {
            receiver.malformed(); // truncated: larger than any packet this tunnel carries
            return;
        }
        int start = SLOT_HEADROOM;
        if (v4) {
            int ihl = length >= 20 ? (slot.getUnsignedByte(start) & 0x0f) * 4 : 0;
            if (ihl < 20 || ihl > length) {
                receiver.malformed();
                return;
            }
            start += ihl;
        }
        slot.setIndex(start, SLOT_HEADROOM + length);
        try {
            receiver.received(slot);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + ": inbound packet failed", e);
        }
    }

    /** Queues the packet (its memory must stay unchanged until {@link #flush()}). */
    @Override
    public void send(ByteBuf gre) throws IOException {
        if (!gre.hasMemoryAddress()) {
            flush();
            socket.send(gre.nioBuffer(gre.readerIndex(), gre.readableBytes()));
            return;
        }
        if (pending.isFull()) {
            pendingRefused += socket.sendBatch(pending);
        }
        pending.add(gre.memoryAddress() + gre.readerIndex(), gre.readableBytes());
    }

    @Override
    public void sendRun(ByteBuf buf, int offset, int length, int stride, int flowHash) throws IOException {
        if (!buf.hasMemoryAddress()) {
            GreUnderlay.super.sendRun(buf, offset, length, stride, flowHash);
            return;
        }
        long base = buf.memoryAddress();
        for (int at = offset; at < offset + length; at += stride) {
            if (pending.isFull()) {
                pendingRefused += socket.sendBatch(pending);
            }
            pending.add(base + at, Math.min(stride, offset + length - at));
        }
    }

    /** One {@code sendmsg} now; the position is put back (the kernel took the bytes or not). */
    @Override
    public boolean sendNow(ByteBuffer gre, int flowHash) {
        if (!gre.isDirect()) {
            return GreUnderlay.super.sendNow(gre, flowHash);
        }
        int position = gre.position();
        try {
            socket.send(gre);
            return true;
        } catch (IOException e) {
            LOG.log(Level.FINE, name + ": send failed: " + e.getMessage());
            return false;
        } finally {
            gre.position(position);
        }
    }

    /** One {@code sendmmsg} for the run (more if it has over {@value #SEND_BATCH} packets), now. */
    @Override
    public int sendRunNow(ByteBuffer run, int stride, int flowHash) {
        if (!run.isDirect()) {
            return GreUnderlay.super.sendRunNow(run, stride, flowHash);
        }
        long base = RawBatch.address(run);
        int count = 0;
        int refused = 0;
        try {
            for (int at = run.position(); at < run.limit(); at += stride) {
                if (immediate.isFull()) {
                    refused += socket.sendBatch(immediate);
                }
                immediate.add(base + at, Math.min(stride, run.limit() - at));
                count++;
            }
            refused += socket.sendBatch(immediate);
        } catch (IOException e) {
            refused = count;
            immediate.clear();
            LOG.log(Level.FINE, name + ": send failed: " + e.getMessage());
        }
        return count - refused;
    }

    @Override
    public int flush() {
        int refused = pendingRefused;
        pendingRefused = 0;
        try {
            refused += socket.sendBatch(pending);
        } catch (IOException e) {
            refused += pending.size();
            pending.clear();
            LOG.log(Level.FINE, name + ": send failed: " + e.getMessage());
        }
        return refused;
    }

    @Override
    public void close() {
        socket.close();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
