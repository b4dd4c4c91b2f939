package io.warren.gateway.tunnel.gre;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.warren.gateway.packet.IpProtocols;
import io.warren.tun.raw.RawFamily;
import io.warren.tun.raw.RawSocket;
import io.warren.tun.raw.RawSocketException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * GRE over IP (protocol 47, RFC 2784) on a raw socket connected to the remote endpoint (so the
 * kernel delivers only its packets) and bound to the local one when pinned. The kernel builds the
 * outer IP header and reassembles outer fragments; an IPv4 receive starts with the outer header,
 * which is stripped here. One receive thread; sends happen on the caller's thread.
 */
public final class RawGreUnderlay implements GreUnderlay {
    /**
     * The long-lived data-path buffers (allocated once, released in {@code finally}) are not
     * leak-tracked: with paranoid leak detection every access would record a stack trace.
     */
    private static final UnpooledByteBufAllocator LONG_LIVED = new UnpooledByteBufAllocator(true, true);
    private static final Logger LOG = Logger.getLogger(RawGreUnderlay.class.getName());
    private static final int MAX_PACKET = 65535;
    private static final int SOCKET_BUFFER = 4 << 20;

    private final String name;
    private final RawSocket socket;
    private final boolean v4;
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
            s.setBufferSizes(SOCKET_BUFFER, SOCKET_BUFFER);
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
        ByteBuf buf = LONG_LIVED.directBuffer(MAX_PACKET, MAX_PACKET);
        ByteBuffer view = buf.nioBuffer(0, MAX_PACKET);
        try {
            while (!socket.isClosed()) {
                view.clear();
                int n;
                try {
                    n = socket.receive(view, null);
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
                int start = 0;
                if (v4) {
                    int ihl = n >= 20 ? (buf.getUnsignedByte(0) & 0x0f) * 4 : 0;
                    if (ihl < 20 || ihl > n) {
                        receiver.malformed();
                        continue;
                    }
                    start = ihl;
                }
                buf.setIndex(start, Math.min(n, MAX_PACKET));
                try {
                    receiver.received(buf);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, name + ": inbound packet failed", e);
                }
            }
        } finally {
            buf.release();
        }
    }

    @Override
    public void send(ByteBuf gre) throws IOException {
        socket.send(gre.nioBuffer(gre.readerIndex(), gre.readableBytes()));
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
