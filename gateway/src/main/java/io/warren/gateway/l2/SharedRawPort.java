package io.warren.gateway.l2;

import io.netty.buffer.ByteBuf;
import io.warren.gateway.encap.l2tpv3.L2tpv3Encap;
import io.warren.gateway.encap.l2tpv3.L2tpv3Wire;
import io.warren.tun.raw.RawFamily;
import io.warren.tun.raw.RawSocket;
import io.warren.gateway.tunnel.UnderlayBuffers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * L2TPv3 over IP (RFC 3931 §4.1.1, IP protocol 115): one raw socket per address family shared by every
 * session, with a receiver thread that demultiplexes packets by Session ID to the registered tunnel.
 * Sends go straight from the caller's thread (the kernel adds the IP header). On AF_INET the kernel
 * hands received packets with their IPv4 header, which is skipped; on AF_INET6 without.
 */
final class SharedRawPort implements SharedPort {
    private static final Logger LOG = Logger.getLogger(SharedRawPort.class.getName());
    private static final int MAX_PACKET = 65535;

    private final RawSocket socket;
    private final ReceiverTable receivers = new ReceiverTable();
    private final LongAdder unknownKey = new LongAdder();
    private final Thread reader;
    private int references;

    private SharedRawPort(RawSocket socket) {
        this.socket = socket;
        this.reader = new Thread(this::receiveLoop, "warren-l2tpv3-ip-" + socket.family());
        reader.setDaemon(true);
    }

    /** Opens the socket (in the calling thread's network namespace) and starts the receiver. */
    static SharedRawPort open(RawFamily family, InetAddress local) throws IOException {
        RawSocket s = RawSocket.open(family, L2tpv3Wire.IP_PROTOCOL);
        try {
            s.setBufferSizes(UnderlayBuffers.RECEIVE, UnderlayBuffers.SEND);
            if (local != null) {
                s.bind(local);
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        SharedRawPort p = new SharedRawPort(s);
        p.reader.start();
        return p;
    }

    synchronized void retain() {
        references++;
    }

    @Override
    public synchronized boolean release() {
        return --references <= 0;
    }

    @Override
    public boolean register(long sessionId, SharedUdpPort.Receiver r) {
        return receivers.putIfAbsent(sessionId, r);
    }

    @Override
    public void unregister(long sessionId) {
        receivers.remove(sessionId);
    }

    long unknownKey() {
        return unknownKey.sum();
    }

    /** The sender: one {@code sendmsg} per datagram to the remote's address. */
    @Override
    public DatagramSink sender() {
        return (datagram, to, flowHash) -> {
            int position = datagram.position();
            try {
                socket.send(datagram, to.getAddress());
                return true;
            } catch (IOException e) {
                return false;
            } finally {
                datagram.position(position); // a flood sends the same bytes again
            }
        };
    }

    private void receiveLoop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(MAX_PACKET);
        ByteBuf view = L2Tunnel.view(buf);
        boolean v4 = socket.family() == RawFamily.INET;
        byte[] source = new byte[socket.family().addressLength()];
        byte[] lastSource = new byte[source.length];
        InetSocketAddress from = null;
        while (!socket.isClosed()) {
            buf.clear();
            int n;
            try {
                n = socket.receive(buf, source);
            } catch (AsynchronousCloseException e) {
                return;
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.log(Level.SEVERE, "L2TPv3/IP receive failed, inbound traffic stops: " + e.getMessage(), e);
                }
                return;
            }
            int length = Math.min(n, buf.capacity());
            int start = v4 && length > 0 ? (buf.get(0) & 0x0f) * 4 : 0;
            if (start > length) {
                unknownKey.increment();
                continue;
            }
            view.setIndex(start, length);
            SharedUdpPort.Receiver r = receivers.get(L2tpv3Encapsulation.peekSessionId(view, L2tpv3Encap.IP));
            if (r == null) {
                unknownKey.increment();
                continue;
            }
            if (from == null || !java.util.Arrays.equals(source, lastSource)) {
                System.arraycopy(source, 0, lastSource, 0, source.length);
                try {
                    from = new InetSocketAddress(InetAddress.getByAddress(lastSource), 0);
                } catch (UnknownHostException e) {
                    continue;
                }
            }
            try {
                r.receive(view, from);
                InboundBurst.end(); // one packet per read: nothing to merge across reads
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "L2TPv3/IP receiver failed", e);
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
