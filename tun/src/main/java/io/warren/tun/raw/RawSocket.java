package io.warren.tun.raw;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * A raw IP socket ({@code socket(AF_INET|AF_INET6, SOCK_RAW, protocol)}, raw(7)) for one IP
 * protocol, e.g. GRE (47): the kernel adds the IP header on send; on receive an IPv4 packet starts
 * with its IPv4 header while an IPv6 packet starts with the protocol payload. Needs CAP_NET_RAW.
 *
 * <p>After {@link #connect} the kernel delivers only packets from that source and {@link #send}
 * needs no address; after {@link #bind} only packets to that local address. A connected socket
 * also gets ICMP errors for its earlier sends (raw(7)): the next receive or send fails once with
 * the matching errno (ENOPROTOOPT for protocol unreachable, EHOSTUNREACH, ECONNREFUSED...) as a
 * {@link RawSocketException}, and the socket stays usable.
 *
 * <p>Buffers are the caller's and must be direct; nothing is kept. Send and receive may run on
 * different threads. {@link #close()} from any thread wakes a blocked receiver (which then gets
 * {@link AsynchronousCloseException}) and the descriptor is closed once no call is in flight, on
 * every path, so its number is never reused under a running call.
 */
public final class RawSocket implements AutoCloseable {
    static final RawLibC LIBC = LibraryLoader.create(RawLibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    private static final ThreadLocal<Pointer> SCRATCH =
            ThreadLocal.withInitial(() -> Memory.allocateDirect(RUNTIME, Scratch.SIZE, true));

    private final int fd;
    private final RawFamily family;
    private final int protocol;
    /** Bit 0 = closed, the rest counts in-flight calls (2 each). */
    private final AtomicInteger state = new AtomicInteger();

    private RawSocket(int fd, RawFamily family, int protocol) {
        this.fd = fd;
        this.family = family;
        this.protocol = protocol;
    }

    /** Opens a raw socket for {@code protocol} (1..254) in {@code family}; close-on-exec. */
    public static RawSocket open(RawFamily family, int protocol) throws RawSocketException {
        if (protocol < 1 || protocol > 254) {
            throw new IllegalArgumentException("IP protocol must be 1..254: " + protocol);
        }
        int fd = LIBC.socket(family.af, RawWire.SOCK_RAW | RawWire.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw RawSocketException.of("cannot open raw " + name(family) + " socket for protocol " + protocol,
                    errno());
        }
        return new RawSocket(fd, family, protocol);
    }

    public RawFamily family() {
        return family;
    }

    public int protocol() {
        return protocol;
    }

    /** Receives only packets addressed to {@code local} (bind(2)). */
    public void bind(InetAddress local) throws IOException {
        addressCall("bind to", local, true);
    }

    /** Receives only packets from {@code remote} and makes it the default destination (connect(2)). */
    public void connect(InetAddress remote) throws IOException {
        addressCall("connect to", remote, false);
    }

    private void addressCall(String what, InetAddress address, boolean bind) throws IOException {
        checkFamily(address);
        acquire();
        try {
            Pointer sa = SCRATCH.get();
            int len = SockAddr.write(sa, Scratch.SOCKADDR, address);
            long saAddress = sa.address() + Scratch.SOCKADDR;
            int rc = bind ? LIBC.bind(fd, saAddress, len) : LIBC.connect(fd, saAddress, len);
            if (rc < 0) {
                throw RawSocketException.of("cannot " + what + " " + address.getHostAddress(), errno());
            }
        } finally {
            release();
        }
    }

    /** The outer TTL / hop limit of sent packets (IP_TTL / IPV6_UNICAST_HOPS). */
    public void setTtl(int ttl) throws IOException {
        if (family == RawFamily.INET) {
            setInt(RawWire.IPPROTO_IP, RawWire.IP_TTL, ttl, "IP_TTL");
        } else {
            setInt(RawWire.IPPROTO_IPV6, RawWire.IPV6_UNICAST_HOPS, ttl, "IPV6_UNICAST_HOPS");
        }
    }

    /**
     * Path MTU discovery mode: {@code true} = IP_PMTUDISC_DO (DF set, the kernel refuses packets
     * larger than the path MTU with EMSGSIZE), {@code false} = IP_PMTUDISC_DONT (the kernel
     * fragments the outer packet). The default of a raw socket is WANT: DF when it fits, else fragment.
     */
    public void setDontFragment(boolean df) throws IOException {
        int v = df ? RawWire.IP_PMTUDISC_DO : RawWire.IP_PMTUDISC_DONT;
        if (family == RawFamily.INET) {
            setInt(RawWire.IPPROTO_IP, RawWire.IP_MTU_DISCOVER, v, "IP_MTU_DISCOVER");
        } else {
            setInt(RawWire.IPPROTO_IPV6, RawWire.IPV6_MTU_DISCOVER, v, "IPV6_MTU_DISCOVER");
        }
    }

    /** Socket buffer sizes; tries the FORCE variants first (root), then the capped ones. */
    public void setBufferSizes(int receive, int send) throws IOException {
        if (!trySetInt(RawWire.SOL_SOCKET, RawWire.SO_RCVBUFFORCE, receive)) {
            setInt(RawWire.SOL_SOCKET, RawWire.SO_RCVBUF, receive, "SO_RCVBUF");
        }
        if (!trySetInt(RawWire.SOL_SOCKET, RawWire.SO_SNDBUFFORCE, send)) {
            setInt(RawWire.SOL_SOCKET, RawWire.SO_SNDBUF, send, "SO_SNDBUF");
        }
    }

    private void setInt(int level, int option, int value, String name) throws IOException {
        if (!trySetInt(level, option, value)) {
            throw RawSocketException.of("cannot set " + name + " = " + value, errno());
        }
    }

    private boolean trySetInt(int level, int option, int value) throws IOException {
        acquire();
        try {
            Pointer p = SCRATCH.get();
            p.putInt(Scratch.OPTVAL, value);
            return LIBC.setsockopt(fd, level, option, p.address() + Scratch.OPTVAL, 4) == 0;
        } finally {
            release();
        }
    }

    /**
     * The path MTU towards the connected peer (IP_MTU / IPV6_MTU, ip(7)): the route's MTU until
     * the kernel learns a smaller one from ICMP. Only valid after {@link #connect}.
     */
    public int pathMtu() throws IOException {
        acquire();
        try {
            Pointer p = SCRATCH.get();
            p.putInt(Scratch.OPTVAL, 0);
            p.putInt(Scratch.OPTLEN, 4);
            long val = p.address() + Scratch.OPTVAL;
            long len = p.address() + Scratch.OPTLEN;
            int rc = family == RawFamily.INET
                    ? LIBC.getsockopt(fd, RawWire.IPPROTO_IP, RawWire.IP_MTU, val, len)
                    : LIBC.getsockopt(fd, RawWire.IPPROTO_IPV6, RawWire.IPV6_MTU, val, len);
            if (rc < 0) {
                throw RawSocketException.of("cannot read the path MTU", errno());
            }
            return p.getInt(Scratch.OPTVAL);
        } finally {
            release();
        }
    }

    /**
     * Sends {@code src} between position and limit as the payload of one IP packet to the connected
     * peer, or to {@code to} when it is non-null; moves the position to the limit.
     *
     * @throws RawSocketException with the errno (EMSGSIZE, ENOBUFS, EHOSTUNREACH...) on failure
     */
    public void send(ByteBuffer src, InetAddress to) throws IOException {
        long address = address(src, false);
        if (to != null) {
            checkFamily(to);
        }
        acquire();
        try {
            int position = src.position();
            int length = src.limit() - position;
            Pointer p = SCRATCH.get();
            int saLen = to == null ? 0 : SockAddr.write(p, Scratch.SOCKADDR, to);
            long msg = Scratch.message(p, saLen == 0 ? 0 : p.address() + Scratch.SOCKADDR, saLen,
                    address + position, length);
            for (;;) {
                long n = LIBC.sendmsg(fd, msg, 0);
                if (n >= 0) {
                    src.position(src.limit());
                    return;
                }
                int errno = errno();
                if (errno != RawWire.EINTR) {
                    throw RawSocketException.of("cannot send " + length + " bytes on raw " + name(family)
                            + " socket (protocol " + protocol + ")", errno);
                }
            }
        } finally {
            release();
        }
    }

    /** Sends to the connected peer. */
    public void send(ByteBuffer src) throws IOException {
        send(src, null);
    }

    /**
     * Sends every message of {@code batch} to the connected peer with as few {@code sendmmsg(2)}
     * calls as the kernel allows, then empties the batch. A message the kernel refuses (ENOBUFS, an
     * ICMP error reported for an earlier send...) is skipped and counted, never thrown; the rest
     * are still sent.
     *
     * @return how many messages were refused (the errno of the latest is {@link #lastSendErrno()})
     */
    public int sendBatch(RawBatch batch) throws IOException {
        int count = batch.size();
        if (count == 0) {
            return 0;
        }
        acquire();
        try {
            int refused = 0;
            int from = 0;
            while (from < count) {
                int n = LIBC.sendmmsg(fd, batch.message(from), count - from, 0);
                if (n > 0) {
                    from += n;
                    continue;
                }
                int errno = errno();
                if (errno == RawWire.EINTR) {
                    continue;
                }
                lastSendErrno = errno;
                refused++;
                from++;
            }
            return refused;
        } finally {
            batch.clear();
            release();
        }
    }

    private volatile int lastSendErrno;

    /** The errno of the latest message {@link #sendBatch} skipped, 0 if none. */
    public int lastSendErrno() {
        return lastSendErrno;
    }

    /**
     * Blocks until at least one packet arrives, then reads as many as are queued (up to the batch's
     * size) into the slots added to {@code batch} with one {@code recvmmsg(2)}. Message i's length
     * is {@link RawBatch#length(int)}: larger than its slot when it was truncated.
     *
     * @return the number of messages received (at least 1)
     * @throws AsynchronousCloseException when the socket was closed while waiting
     * @throws RawSocketException for an error the kernel reports (an ICMP error for an earlier send);
     *     the socket stays usable
     */
    public int receiveBatch(RawBatch batch) throws IOException {
        acquire();
        try {
            for (;;) {
                int n = LIBC.recvmmsg(fd, batch.message(0), batch.size(), RawWire.MSG_WAITFORONE | RawWire.MSG_TRUNC, 0);
                if (isClosed()) {
                    throw new AsynchronousCloseException();
                }
                if (n > 0) {
                    return n;
                }
                int errno = errno();
                if (n < 0 && errno != RawWire.EINTR) {
                    throw RawSocketException.of("cannot receive on raw " + name(family) + " socket", errno);
                }
            }
        } finally {
            release();
        }
    }

    /**
     * Blocks until a packet arrives and reads it into {@code dst} between position and limit,
     * advancing the position. A packet longer than the room is truncated by the kernel: the
     * returned length is then the full length (MSG_TRUNC), larger than what was stored.
     *
     * @param source if non-null, receives the sender's address (4 or 16 bytes)
     * @return the packet length
     * @throws AsynchronousCloseException when the socket was closed while waiting
     */
    public int receive(ByteBuffer dst, byte[] source) throws IOException {
        return receive(dst, source, -1);
    }

    /**
     * As {@link #receive(ByteBuffer, byte[])} but waits at most {@code timeoutMillis} (negative:
     * forever) and returns 0 when nothing arrived in time.
     */
    public int receive(ByteBuffer dst, byte[] source, int timeoutMillis) throws IOException {
        long address = address(dst, true);
        if (source != null && source.length != family.addressLength) {
            throw new IllegalArgumentException("source must have " + family.addressLength + " bytes");
        }
        acquire();
        try {
            Pointer p = SCRATCH.get();
            if (timeoutMillis >= 0 && !awaitReadable(p, timeoutMillis)) {
                return 0;
            }
            int position = dst.position();
            int room = dst.limit() - position;
            for (;;) {
                long msg = Scratch.message(p, p.address() + Scratch.SOCKADDR, RawWire.SOCKADDR_MAX,
                        address + position, room);
                long n = LIBC.recvmsg(fd, msg, RawWire.MSG_TRUNC);
                if (n > 0 || (n == 0 && !isClosed())) {
                    dst.position(position + (int) Math.min(n, room));
                    if (source != null) {
                        SockAddr.readAddress(p, Scratch.SOCKADDR, family, source);
                    }
                    return (int) n;
                }
                if (isClosed()) {
                    throw new AsynchronousCloseException();
                }
                int errno = errno();
                if (errno != RawWire.EINTR) {
                    throw RawSocketException.of("cannot receive on raw " + name(family) + " socket", errno);
                }
            }
        } finally {
            release();
        }
    }

    private boolean awaitReadable(Pointer p, int timeoutMillis) throws IOException {
        int at = Scratch.POLLFD;
        p.putInt(at, fd);
        p.putShort(at + 4, RawWire.POLLIN);
        p.putShort(at + 6, (short) 0);
        for (;;) {
            int rc = LIBC.poll(p.address() + at, 1, timeoutMillis);
            if (isClosed()) {
                throw new AsynchronousCloseException();
            }
            if (rc >= 0) {
                return rc > 0;
            }
            int errno = errno();
            if (errno != RawWire.EINTR) {
                throw RawSocketException.of("cannot poll raw socket", errno);
            }
        }
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return (state.get() & 1) != 0;
    }

    /** Wakes a blocked receiver (shutdown(2)) and closes the descriptor when no call is in flight. */
    @Override
    public void close() {
        for (;;) {
            int s = state.get();
            if ((s & 1) != 0) {
                return;
            }
            if (state.compareAndSet(s, (s | 1) + 2)) {
                break;
            }
        }
        try {
            LIBC.shutdown(fd, RawWire.SHUT_RDWR);
        } finally {
            release();
        }
    }

    private void acquire() throws ClosedChannelException {
        for (;;) {
            int s = state.get();
            if ((s & 1) != 0) {
                throw new ClosedChannelException();
            }
            if (state.compareAndSet(s, s + 2)) {
                return;
            }
        }
    }

    private void release() {
        if (state.addAndGet(-2) == 1) {
            LIBC.close(fd);
        }
    }

    private void checkFamily(InetAddress a) {
        if (RawFamily.of(a) != family) {
            throw new IllegalArgumentException(a.getHostAddress() + " is not an " + name(family) + " address");
        }
    }

    private static long address(ByteBuffer buffer, boolean writable) {
        long address = RawBatch.address(buffer);
        if (writable && buffer.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        return address;
    }

    static int errno() {
        return RUNTIME.getLastError();
    }

    private static String name(RawFamily f) {
        return f == RawFamily.INET ? "IPv4" : "IPv6";
    }

    /** Per-thread native scratch memory: one socket address, option value, pollfd, iovec, msghdr. */
    static final class Scratch {
        static final int SOCKADDR = 0;
        static final int OPTVAL = 32;
        static final int OPTLEN = 36;
        static final int POLLFD = 40;
        static final int IOVEC = 48;
        static final int MSGHDR = 64;
        static final int SIZE = MSGHDR + RawWire.MSGHDR_SIZE;

        private Scratch() {
        }

        /** Fills the iovec and msghdr for one buffer; returns the msghdr's address. */
        static long message(Pointer p, long name, int nameLength, long buffer, long length) {
            p.putLong(IOVEC, buffer);
            p.putLong(IOVEC + 8, length);
            for (int i = 0; i < RawWire.MSGHDR_SIZE; i += 8) {
                p.putLong(MSGHDR + i, 0);
            }
            p.putLong(MSGHDR + RawWire.MSG_NAME, name);
            p.putInt(MSGHDR + RawWire.MSG_NAMELEN, nameLength);
            p.putLong(MSGHDR + RawWire.MSG_IOV, p.address() + IOVEC);
            p.putLong(MSGHDR + RawWire.MSG_IOVLEN, 1);
            return p.address() + MSGHDR;
        }
    }

    /** Writes and reads struct sockaddr_in / sockaddr_in6 (port 0; raw sockets have none). */
    static final class SockAddr {
        private SockAddr() {
        }

        static int write(Pointer p, long at, InetAddress a) {
            for (int i = 0; i < RawWire.SOCKADDR_MAX; i++) {
                p.putByte(at + i, (byte) 0);
            }
            if (a instanceof Inet4Address) {
                // Inet4Address.hashCode() is the address itself (specified): no byte[] per send.
                int v4 = a.hashCode();
                p.putShort(at, (short) RawWire.AF_INET);
                p.putByte(at + 4, (byte) (v4 >>> 24));
                p.putByte(at + 5, (byte) (v4 >>> 16));
                p.putByte(at + 6, (byte) (v4 >>> 8));
                p.putByte(at + 7, (byte) v4);
                return RawWire.SOCKADDR_IN_SIZE;
            }
            byte[] raw = a.getAddress();
            p.putShort(at, (short) RawWire.AF_INET6);
            p.put(at + 8, raw, 0, 16);
            if (a instanceof Inet6Address v6 && v6.getScopeId() != 0) {
                p.putInt(at + 24, v6.getScopeId());
            }
            return RawWire.SOCKADDR_IN6_SIZE;
        }

        static void readAddress(Pointer p, long at, RawFamily family, byte[] out) {
            p.get(family == RawFamily.INET ? at + 4 : at + 8, out, 0, out.length);
        }
    }
}
