package io.warren.tun.link;

import static io.warren.tun.link.Rtnetlink.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import jnr.ffi.LibraryLoader;
import jnr.ffi.byref.IntByReference;

/**
 * A NETLINK_ROUTE socket ({@code socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)}, netlink(7))
 * that sends one request at a time and reads the kernel's answer up to its NLMSG_ERROR ack. Thin shell:
 * encoding and decoding live in {@link RtnetlinkRequests} and {@link NetlinkReplyParser}. The socket
 * belongs to the network namespace of the thread that opened it. The file descriptor is closed on every
 * failure path of {@link #open()} and by {@link #close()}. Not thread-safe.
 */
final class NetlinkSocket implements AutoCloseable {
    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int RECEIVE_BUFFER = 64 * 1024;
    private static final int RECEIVE_TIMEOUT_SECONDS = 5;

    private static volatile NetlinkLibC libc;

    private final NetlinkLibC c;
    private final byte[] receiveBuffer = new byte[RECEIVE_BUFFER];
    private int fd;
    private int seq;

    private NetlinkSocket(NetlinkLibC c, int fd, int firstSeq) {
        this.c = c;
        this.fd = fd;
        this.seq = firstSeq;
    }

    /** Opens and binds a socket in the calling thread's network namespace. */
    static NetlinkSocket open() {
        NetlinkLibC c = libc();
        int fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            throw LinkConfigException.of("cannot open NETLINK_ROUTE socket", errno(c), "");
        }
        boolean ok = false;
        try {
            // Best effort: extended ack text and capped acks (kernel >= 4.12 / 4.3); failures are harmless.
            c.setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, intBytes(1), 4);
            c.setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, intBytes(1), 4);
            byte[] timeval = ByteBuffer.allocate(16).order(ORDER).putLong(RECEIVE_TIMEOUT_SECONDS).putLong(0).array();
            if (c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval, timeval.length) != 0) {
                throw LinkConfigException.of("cannot set SO_RCVTIMEO on netlink socket", errno(c), "");
            }
            if (c.bind(fd, sockaddrNl(), SOCKADDR_NL_SIZE) != 0) {
                throw LinkConfigException.of("cannot bind netlink socket", errno(c), "");
            }
            ok = true;
            return new NetlinkSocket(c, fd, (int) (System.nanoTime() & 0x3FFF_FFFF) | 1);
        } finally {
            if (!ok) {
                c.close(fd);
            }
        }
    }

    /** @return a fresh sequence number for the next request */
    int nextSeq() {
        seq = seq == Integer.MAX_VALUE ? 1 : seq + 1;
        return seq;
    }

    /**
     * Sends {@code request} (built with sequence number {@code seq}) and reads replies until its ack.
     *
     * @param what context for errors, e.g. "cannot set MTU 9000 on wt0"
     * @return the data messages (not the ack) that answered this request
     * @throws LinkConfigException with {@code what} and the errno when the kernel refused, or on I/O errors
     */
    List<NetlinkReply> transact(String what, byte[] request, int seq) {
        ensureOpen();
        long sent;
        do {
            sent = c.sendto(fd, request, request.length, 0, sockaddrNl(), SOCKADDR_NL_SIZE);
        } while (sent < 0 && errno(c) == EINTR);
        if (sent < 0) {
            throw LinkConfigException.of(what + " (netlink sendto)", errno(c), "");
        }
        List<NetlinkReply> data = new ArrayList<>();
        while (true) {
            byte[] from = new byte[SOCKADDR_NL_SIZE];
            IntByReference fromLen = new IntByReference(SOCKADDR_NL_SIZE);
            long n = c.recvfrom(fd, receiveBuffer, receiveBuffer.length, MSG_TRUNC, from, fromLen);
            if (n < 0) {
                int e = errno(c);
                if (e == EINTR) {
                    continue;
                }
                throw LinkConfigException.of(what + (e == EAGAIN ? " (no netlink reply within "
                        + RECEIVE_TIMEOUT_SECONDS + " s)" : " (netlink recv)"), e, "");
            }
            if (ByteBuffer.wrap(from).order(ORDER).getInt(4) != 0) {
                continue; // not from the kernel (nl_pid != 0): ignore
            }
            if (n > receiveBuffer.length) {
                throw malformed(what, NetlinkReply.Reason.DATAGRAM_TRUNCATED);
            }
            for (NetlinkReply r : NetlinkReplyParser.parse(receiveBuffer, (int) n, ORDER)) {
                // Java 17: no pattern switch; one branch per permitted subtype of the sealed NetlinkReply.
                if (r instanceof NetlinkReply.Malformed m) {
                    throw malformed(what, m.reason());
                } else if (r instanceof NetlinkReply.Failure f) {
                    if (f.seq() == seq) {
                        throw LinkConfigException.of(what, f.errno(), f.extAck());
                    }
                } else if (r instanceof NetlinkReply.Ack a) {
                    if (a.seq() == seq) {
                        return data;
                    }
                } else if (r instanceof NetlinkReply.Done d) {
                    if (d.seq() == seq) {
                        return data;
                    }
                } else if (r instanceof NetlinkReply.Link l) {
                    if (l.seq() == seq) {
                        data.add(l);
                    }
                }
                // NetlinkReply.Ignored and replies to other sequence numbers are skipped
            }
        }
    }

    /** Closes the file descriptor; idempotent. */
    @Override
    public void close() {
        if (fd >= 0) {
            c.close(fd);
            fd = -1;
        }
    }

    boolean isOpen() {
        return fd >= 0;
    }

    private void ensureOpen() {
        if (fd < 0) {
            throw new IllegalStateException("netlink socket is closed");
        }
    }

    private static LinkConfigException malformed(String what, NetlinkReply.Reason reason) {
        return new LinkConfigException(what + ": malformed netlink reply (" + reason + ")", 0);
    }

    /** struct sockaddr_nl addressing the kernel (nl_pid 0, no groups). */
    private static byte[] sockaddrNl() {
        return ByteBuffer.allocate(SOCKADDR_NL_SIZE).order(ORDER).putShort((short) AF_NETLINK).array();
    }

    private static byte[] intBytes(int v) {
        return ByteBuffer.allocate(4).order(ORDER).putInt(v).array();
    }

    private static int errno(NetlinkLibC c) {
        return jnr.ffi.Runtime.getRuntime(c).getLastError();
    }

    private static NetlinkLibC libc() {
        NetlinkLibC l = libc;
        if (l == null) {
            synchronized (NetlinkSocket.class) {
                l = libc;
                if (l == null) {
                    l = LibraryLoader.create(NetlinkLibC.class).load("c");
                    libc = l;
                }
            }
        }
        return l;
    }
}
