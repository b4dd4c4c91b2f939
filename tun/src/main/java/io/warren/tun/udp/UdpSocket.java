package io.warren.tun.udp;

import com.kenai.jffi.MemoryIO;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A bound UDP socket this program owns (no Netty channel): {@code [::]:port} dual-stack (IPv6 with
 * {@code IPV6_V6ONLY} off, so IPv4 peers arrive as {@code ::ffff:a.b.c.d}), or {@code 0.0.0.0:port}
 * where the kernel has no IPv6; or one bound to a single address of its own family
 * ({@link #bind(InetSocketAddress, int, boolean)}). Receive with a {@link UdpReceiveBatch} on one thread, send with
 * {@link #sender()} from any thread.
 *
 * <p>Closing: {@link #shutdownInput()} wakes a receiver blocked in {@link UdpReceiveBatch#receive};
 * join that thread, then {@link #close()} releases the descriptor (closing it under a thread still
 * in a call could hand that call a reused descriptor).
 */
public final class UdpSocket implements AutoCloseable {
    private static final UdpLibC LIBC = UdpNative.LIBC;
    private static final MemoryIO MEMORY = UdpNative.MEMORY;

    private final int fd;
    private final boolean ipv6;
    private final int localPort;
    private final UdpSendSocket sender;
    private boolean closed;

    private UdpSocket(int fd, boolean ipv6, int localPort) {
        this.fd = fd;
        this.ipv6 = ipv6;
        this.localPort = localPort;
        this.sender = new UdpSendSocket(fd, ipv6);
    }

    /**
     * Opens a UDP socket bound to the wildcard address and {@code port} (0: the kernel picks) with
     * {@code SO_RCVBUF} and {@code SO_SNDBUF} of {@code bufferBytes} (capped by the kernel's
     * {@code rmem_max}/{@code wmem_max}).
     */
    public static UdpSocket bind(int port, int bufferBytes) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        boolean ipv6 = true;
        int fd = LIBC.socket(UdpLibC.AF_INET6, UdpLibC.SOCK_DGRAM | UdpLibC.SOCK_CLOEXEC, 0);
        if (fd < 0 && UdpNative.errno() == UdpLibC.EAFNOSUPPORT) {
            ipv6 = false;
            fd = LIBC.socket(UdpLibC.AF_INET, UdpLibC.SOCK_DGRAM | UdpLibC.SOCK_CLOEXEC, 0);
        }
        if (fd < 0) {
            throw new IOException("cannot open a UDP socket: errno " + UdpNative.errno());
        }
        return configure(fd, ipv6, false, false, bufferBytes, null, 0, port, "port " + port);
    }

    /**
     * Opens a UDP socket of {@code local}'s own family bound to that address only (an IPv6 socket
     * is {@code IPV6_V6ONLY}: no IPv4-mapped traffic), with {@code SO_RCVBUF}/{@code SO_SNDBUF} of
     * {@code bufferBytes}; with {@code reusePort}, {@code SO_REUSEPORT} first, so that several
     * sockets of one user may share the address and the kernel spreads datagrams over them.
     */
    public static UdpSocket bind(InetSocketAddress local, int bufferBytes, boolean reusePort) throws IOException {
        InetAddress a = local.getAddress();
        if (a == null) {
            throw new IOException("unresolved address " + local);
        }
        boolean ipv6 = a instanceof Inet6Address;
        int fd = LIBC.socket(ipv6 ? UdpLibC.AF_INET6 : UdpLibC.AF_INET, UdpLibC.SOCK_DGRAM | UdpLibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("cannot open a UDP socket: errno " + UdpNative.errno());
        }
        return configure(fd, ipv6, true, reusePort, bufferBytes, a.getAddress(),
                ipv6 ? ((Inet6Address) a).getScopeId() : 0, local.getPort(), local.toString());
    }

    /**
     * Sets the options of the new socket {@code fd}, binds it to {@code address} ({@code null}: the
     * wildcard) and {@code port} and wraps it; closes it on failure.
     */
    private static UdpSocket configure(int fd, boolean ipv6, boolean v6only, boolean reusePort, int bufferBytes,
            byte[] address, int scope, int port, String what) throws IOException {
        long mem = MEMORY.allocateMemory(64, true);
        try {
            if (ipv6 && setInt(fd, mem, UdpLibC.IPPROTO_IPV6, UdpLibC.IPV6_V6ONLY, v6only ? 1 : 0) != 0) {
                throw new IOException("cannot set IPV6_V6ONLY on the UDP socket: errno " + UdpNative.errno());
            }
            if (reusePort && setInt(fd, mem, UdpLibC.SOL_SOCKET, UdpLibC.SO_REUSEPORT, 1) != 0) {
                throw new IOException("cannot set SO_REUSEPORT: errno " + UdpNative.errno());
            }
            setInt(fd, mem, UdpLibC.SOL_SOCKET, UdpLibC.SO_RCVBUF, bufferBytes);
            setInt(fd, mem, UdpLibC.SOL_SOCKET, UdpLibC.SO_SNDBUF, bufferBytes);
            MEMORY.setMemory(mem, 64, (byte) 0);
            MEMORY.putShort(mem, (short) (ipv6 ? UdpLibC.AF_INET6 : UdpLibC.AF_INET));
            MEMORY.putByte(mem + 2, (byte) (port >>> 8));
            MEMORY.putByte(mem + 3, (byte) port);
            if (address != null && ipv6) {
                MEMORY.putByteArray(mem + 8, address, 0, 16);
                MEMORY.putInt(mem + 24, scope);
            } else if (address != null) {
                MEMORY.putByteArray(mem + 4, address, 0, 4);
            }
            if (LIBC.bind(fd, mem, ipv6 ? UdpWire.SOCKADDR_IN6 : UdpWire.SOCKADDR_IN) != 0) {
                int errno = UdpNative.errno();
                throw new IOException("cannot bind UDP " + what + ": errno " + errno
                        + (errno == 98 ? " (address in use)" : errno == 99 ? " (address not available)" : ""));
            }
            MEMORY.putInt(mem + 32, 32);
            if (LIBC.getsockname(fd, mem, mem + 32) != 0) {
                throw new IOException("getsockname failed: errno " + UdpNative.errno());
            }
            int bound = ((MEMORY.getByte(mem + 2) & 0xff) << 8) | (MEMORY.getByte(mem + 3) & 0xff);
            UdpSocket s = new UdpSocket(fd, ipv6, bound);
            fd = -1;
            return s;
        } finally {
            MEMORY.freeMemory(mem);
            if (fd >= 0) {
                LIBC.close(fd);
            }
        }
    }

    private static int setInt(int fd, long mem, int level, int option, int value) {
        MEMORY.putInt(mem, value);
        return LIBC.setsockopt(fd, level, option, mem, 4);
    }

    /**
     * Turns on {@code UDP_GRO} (Linux 5.0+): a run of equal-size datagrams of one flow may then
     * arrive as one receive, its segment size in a control message ({@link UdpReceiveBatch#segmentSize}).
     *
     * @return false when the kernel refused it (receives stay one datagram each)
     */
    public synchronized boolean enableGro() {
        if (closed) {
            return false;
        }
        long mem = MEMORY.allocateMemory(8, true);
        try {
            return setInt(fd, mem, UdpLibC.SOL_UDP, UdpLibC.UDP_GRO, 1) == 0;
        } finally {
            MEMORY.freeMemory(mem);
        }
    }

    /**
     * Sets {@code SO_RCVTIMEO}: a blocking receive ({@link UdpReceiveBatch#receiveWaiting}) gives
     * up after {@code millis} (0: waits for ever).
     *
     * @return false when the kernel refused it
     */
    public synchronized boolean receiveTimeout(int millis) {
        if (closed || millis < 0) {
            return false;
        }
        long mem = MEMORY.allocateMemory(16, true);
        try {
            MEMORY.putLong(mem, millis / 1000);
            MEMORY.putLong(mem + 8, (millis % 1000) * 1000L);
            return LIBC.setsockopt(fd, UdpLibC.SOL_SOCKET, UdpLibC.SO_RCVTIMEO, mem, 16) == 0;
        } finally {
            MEMORY.freeMemory(mem);
        }
    }

    public int fd() {
        return fd;
    }

    /** True for the dual-stack IPv6 socket, false for an IPv4-only one. */
    public boolean ipv6() {
        return ipv6;
    }

    /** The bound port (the kernel's choice when bound to 0). */
    public int localPort() {
        return localPort;
    }

    /** Sends on this socket, from any thread (see {@link UdpSendSocket}). */
    public UdpSendSocket sender() {
        return sender;
    }

    /**
     * Shuts the receiving side: a thread waiting in {@link UdpReceiveBatch#receive} wakes up and
     * receives nothing more. Idempotent; sends still work.
     */
    public synchronized void shutdownInput() {
        if (!closed) {
            LIBC.shutdown(fd, UdpLibC.SHUT_RD); // ENOTCONN on an unconnected socket, but it wakes pollers
        }
    }

    /** Closes the descriptor (once). Call after the receiving thread has stopped. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LIBC.close(fd);
        }
    }
}
