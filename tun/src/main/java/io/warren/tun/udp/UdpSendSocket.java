package io.warren.tun.udp;

import com.kenai.jffi.MemoryIO;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import jnr.ffi.Runtime;

/**
 * Writes datagrams to an open UDP socket's file descriptor with {@code sendmsg(2)}.
 *
 * <p>An IPv6 socket (the usual dual-stack {@code [::]:port}) reaches IPv4 peers through
 * IPv4-mapped addresses ({@code ::ffff:a.b.c.d}, RFC 4291 §2.5.5.2); an IPv4 socket takes only IPv4
 * destinations. A full socket buffer ({@code EAGAIN}) is waited out for at most one millisecond,
 * then the datagram is dropped and counted, as a congested link would: the caller never blocks for
 * long and never sees an exception for it.
 */
public final class UdpSendSocket {
    private static final UdpLibC LIBC = UdpNative.LIBC;
    private static final Runtime RUNTIME = UdpNative.RUNTIME;
    private static final MemoryIO MEMORY = UdpNative.MEMORY;
    private static final int SOCKADDR_IN6 = 28;
    private static final int SOCKADDR_IN = 16;
    private static final int SCRATCH = 64 * 1024 + 64;

    /** struct msghdr (x86_64): name, namelen, iov, iovlen, control, controllen, flags. */
    private static final int MSGHDR = 56;
    private static final int IOVEC = 16;
    /** struct cmsghdr (x86_64): u64 len, int level, int type, then the data; 8-byte aligned. */
    private static final int CMSG_LEN_U16 = 16 + 2;
    private static final int CMSG_SPACE_U16 = 24;
    /** The kernel's limits for one UDP_SEGMENT send (UDP_MAX_SEGMENTS is 64 on older kernels). */
    public static final int MAX_GSO_SEGMENTS = 64;
    /** Largest UDP payload of one send (65535 - IPv6 header - UDP header, rounded down). */
    public static final int MAX_GSO_BYTES = 65_000;

    /**
     * How many consecutive datagrams {@code stride} bytes apart fit one UDP GSO send: within
     * {@link #MAX_GSO_SEGMENTS} and {@link #MAX_GSO_BYTES}, and at least one.
     */
    public static int segmentsPerSend(int stride) {
        return Math.max(1, Math.min(MAX_GSO_SEGMENTS, MAX_GSO_BYTES / stride));
    }

    /**
     * Per sending thread: a msghdr pointing at the encoded destination and at one iovec, a pollfd,
     * and a bounce buffer for heap data.
     */
    private static final class Scratch {
        final long sockaddr = MEMORY.allocateMemory(SOCKADDR_IN6, true);
        final long msghdr = MEMORY.allocateMemory(MSGHDR, true);
        final long iovec = MEMORY.allocateMemory(IOVEC, true);
        final long pollfd = MEMORY.allocateMemory(8, true);
        /** One cmsghdr carrying UDP_SEGMENT (u16), CMSG_SPACE(2) bytes. */
        final long control = MEMORY.allocateMemory(CMSG_SPACE_U16, true);
        final ByteBuffer bounce = ByteBuffer.allocateDirect(SCRATCH);
        final long bounceAddress = MEMORY.getDirectBufferAddress(bounce);
        InetSocketAddress encoded;
        int encodedLength;

        Scratch() {
            MEMORY.setMemory(msghdr, MSGHDR, (byte) 0);
            MEMORY.putAddress(msghdr, sockaddr);
            MEMORY.putAddress(msghdr + 16, iovec);
            MEMORY.putLong(msghdr + 24, 1);
            MEMORY.setMemory(control, CMSG_SPACE_U16, (byte) 0);
            MEMORY.putLong(control, CMSG_LEN_U16);
            MEMORY.putInt(control + 8, UdpLibC.SOL_UDP);
            MEMORY.putInt(control + 12, UdpLibC.UDP_SEGMENT);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH_PER_THREAD = ThreadLocal.withInitial(Scratch::new);

    private final int fd;
    private final boolean ipv6Socket;
    private final java.util.concurrent.atomic.LongAdder dropped = new java.util.concurrent.atomic.LongAdder();

    /**
     * @param fd         an open UDP socket (it stays owned by the caller)
     * @param ipv6Socket true for an AF_INET6 socket, false for AF_INET
     */
    public UdpSendSocket(int fd, boolean ipv6Socket) {
        this.fd = fd;
        this.ipv6Socket = ipv6Socket;
    }

    private volatile int lastErrno;

    /** The errno of the latest refused send, 0 if none (for diagnostics). */
    public int lastErrno() {
        return lastErrno;
    }

    /** Datagrams dropped because the socket stayed full or the kernel refused them. */
    public long dropped() {
        return dropped.sum();
    }

    /**
     * Sends {@code datagram[position, limit)} to {@code to}; the position is not moved.
     *
     * @return true when the kernel took it
     */
    public boolean send(ByteBuffer datagram, InetSocketAddress to) {
        Scratch s = SCRATCH_PER_THREAD.get();
        int addrlen = encode(s, to);
        if (addrlen < 0) {
            dropped.increment();
            return false;
        }
        int len = datagram.remaining();
        long address;
        if (datagram.isDirect()) {
            address = MEMORY.getDirectBufferAddress(datagram) + datagram.position();
        } else {
            if (len > SCRATCH) {
                dropped.increment();
                return false;
            }
            s.bounce.clear();
            s.bounce.put(datagram.duplicate());
            address = s.bounceAddress;
        }
        return transmit(s, addrlen, address, len, 0);
    }

    /**
     * Sends {@code buf[position, limit)} as datagrams of {@code segmentSize} bytes each (the last
     * may be shorter) in one {@code sendmsg} with a {@code UDP_SEGMENT} control message (UDP GSO,
     * Linux 4.18+): the kernel splits it, in software when the device cannot. At most
     * {@link #MAX_GSO_SEGMENTS} segments and {@link #MAX_GSO_BYTES} bytes; the buffer must be
     * direct. After the first refusal of GSO itself ({@code EIO}, {@code EINVAL}: for example a
     * socket without checksums), {@link #gsoWorks()} turns false and the caller should send the
     * datagrams one by one.
     *
     * @return true when the kernel took it
     */
    public boolean sendSegmented(ByteBuffer buf, int segmentSize, InetSocketAddress to) {
        int len = buf.remaining();
        if (!buf.isDirect() || segmentSize <= 0 || len > MAX_GSO_BYTES
                || (len + segmentSize - 1) / segmentSize > MAX_GSO_SEGMENTS) {
            dropped.increment();
            return false;
        }
        Scratch s = SCRATCH_PER_THREAD.get();
        int addrlen = encode(s, to);
        if (addrlen < 0) {
            dropped.increment();
            return false;
        }
        boolean ok = transmit(s, addrlen, MEMORY.getDirectBufferAddress(buf) + buf.position(), len,
                len > segmentSize ? segmentSize : 0);
        if (!ok && (lastErrno == UdpLibC.EIO || lastErrno == UdpLibC.EINVAL)) {
            gsoWorks = false;
        }
        return ok;
    }

    private volatile boolean gsoWorks = true;

    /** False once the kernel refused a segmented send (then send datagrams one by one). */
    public boolean gsoWorks() {
        return gsoWorks;
    }

    /** One sendmsg of [address, address + len); with a UDP_SEGMENT cmsg when segment > 0. */
    private boolean transmit(Scratch s, int addrlen, long address, int len, int segment) {
        MEMORY.putInt(s.msghdr + 8, addrlen);
        MEMORY.putAddress(s.iovec, address);
        MEMORY.putLong(s.iovec + 8, len);
        if (segment > 0) {
            MEMORY.putShort(s.control + 16, (short) segment);
            MEMORY.putAddress(s.msghdr + 32, s.control);
            MEMORY.putLong(s.msghdr + 40, CMSG_SPACE_U16);
        } else {
            MEMORY.putAddress(s.msghdr + 32, 0L);
            MEMORY.putLong(s.msghdr + 40, 0L);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            long n = LIBC.sendmsg(fd, s.msghdr, UdpLibC.MSG_DONTWAIT);
            if (n >= 0) {
                return true;
            }
            int errno = RUNTIME.getLastError();
            if (errno == UdpLibC.EAGAIN) {
                MEMORY.putInt(s.pollfd, fd);
                MEMORY.putShort(s.pollfd + 4, UdpLibC.POLLOUT);
                MEMORY.putShort(s.pollfd + 6, (short) 0);
                LIBC.poll(s.pollfd, 1, 1);
            } else if (errno != UdpLibC.EINTR) {
                lastErrno = errno;
                break;
            }
        }
        dropped.increment();
        return false;
    }

    /** Encodes {@code to} into the scratch sockaddr unless it is the one already there. */
    private int encode(Scratch s, InetSocketAddress to) {
        if (to == s.encoded) {
            return s.encodedLength;
        }
        InetAddress a = to.getAddress();
        if (a == null) {
            return -1;
        }
        // Inet4Address.hashCode() is the address itself (specified): no byte[] per IPv4 send, so a
        // flood to several remotes (the cache above holds one) allocates nothing either.
        int v4 = a instanceof Inet4Address ? a.hashCode() : 0;
        byte[] raw = a instanceof Inet4Address ? null : a.getAddress();
        long p = s.sockaddr;
        int port = to.getPort();
        if (ipv6Socket) {
            MEMORY.setMemory(p, SOCKADDR_IN6, (byte) 0);
            MEMORY.putShort(p, (short) UdpLibC.AF_INET6);
            MEMORY.putByte(p + 2, (byte) (port >>> 8));
            MEMORY.putByte(p + 3, (byte) port);
            if (a instanceof Inet4Address) {
                MEMORY.putByte(p + 8 + 10, (byte) 0xff);
                MEMORY.putByte(p + 8 + 11, (byte) 0xff);
                putV4(p + 8 + 12, v4);
            } else {
                MEMORY.putByteArray(p + 8, raw, 0, 16);
                MEMORY.putInt(p + 24, ((java.net.Inet6Address) a).getScopeId());
            }
            s.encodedLength = SOCKADDR_IN6;
        } else {
            if (!(a instanceof Inet4Address)) {
                return -1;
            }
            MEMORY.setMemory(p, SOCKADDR_IN, (byte) 0);
            MEMORY.putShort(p, (short) UdpLibC.AF_INET);
            MEMORY.putByte(p + 2, (byte) (port >>> 8));
            MEMORY.putByte(p + 3, (byte) port);
            putV4(p + 4, v4);
            s.encodedLength = SOCKADDR_IN;
        }
        s.encoded = to;
        return s.encodedLength;
    }

    /** An IPv4 address in network byte order at {@code at}. */
    private static void putV4(long at, int v4) {
        MEMORY.putByte(at, (byte) (v4 >>> 24));
        MEMORY.putByte(at + 1, (byte) (v4 >>> 16));
        MEMORY.putByte(at + 2, (byte) (v4 >>> 8));
        MEMORY.putByte(at + 3, (byte) v4);
    }
}
