package io.warren.tun.udp;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A fixed ring of receive slots for {@code recvmmsg(2)}: per slot a direct buffer with headroom, a
 * {@code struct mmsghdr} whose iovec points past the headroom, room for the source
 * {@code sockaddr} and for control messages (the {@code UDP_GRO} segment size). Everything is
 * allocated once; a receive fills slots {@code [0, n)} and reading them allocates nothing.
 *
 * <p>Per slot after {@link #receive}: {@link #datagram} (the bytes, {@code [headroom, headroom +
 * length)} of the slot's buffer), {@link #truncated} ({@code MSG_TRUNC}: longer than the slot, the
 * rest lost), {@link #controlTruncated} ({@code MSG_CTRUNC}), {@link #segmentSize} (a GRO run) and
 * {@link #source}. The slot's contents stay valid until the next {@link #receive}. Confined to one
 * thread; the memory is freed by the garbage collector with the batch.
 */
public final class UdpReceiveBatch {
    private static final UdpLibC LIBC = UdpNative.LIBC;
    private static final MemoryIO MEMORY = UdpNative.MEMORY;
    /** struct mmsghdr: struct msghdr (56 bytes, see {@link UdpSendSocket}), msg_len u32 at 56, padded. */
    private static final int MMSGHDR = 64;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_CONTROLLEN = 40;
    private static final int MSG_FLAGS = 48;
    private static final int MSG_LEN = 56;
    private static final int IOVEC = 16;
    static final int NAME = 32;
    /** Control room per slot: a few messages of CMSG_SPACE(4) = 24 bytes. */
    static final int CONTROL = 64;

    private final int slots;
    private final int slotSize;
    private final int headroom;
    private final int control;
    private final ByteBuffer meta;
    private final long metaAddress;
    private final int iovecs;
    private final int names;
    private final int controls;
    private final int pollfd;
    private final ByteBuffer[] views;
    /** Slots the previous receive filled (their lengths must be reset before the next). */
    private int filled;

    /**
     * @param slots    datagrams (or GRO runs) per call, 1..1024
     * @param slotSize the largest datagram or run a slot takes (65535 for GRO)
     * @param headroom free bytes before each datagram in its buffer
     */
    public UdpReceiveBatch(int slots, int slotSize, int headroom) {
        this(slots, slotSize, headroom, CONTROL);
    }

    /** As above with {@code control} bytes for control messages per slot (tests make it too small). */
    UdpReceiveBatch(int slots, int slotSize, int headroom, int control) {
        if (slots < 1 || slots > 1024 || slotSize < 1 || headroom < 0 || control < 0) {
            throw new IllegalArgumentException("slots " + slots + ", size " + slotSize + ", headroom " + headroom);
        }
        this.slots = slots;
        this.slotSize = slotSize;
        this.headroom = headroom;
        this.control = (control + 7) & ~7;
        this.iovecs = slots * MMSGHDR;
        this.names = iovecs + slots * IOVEC;
        this.controls = names + slots * NAME;
        this.pollfd = controls + slots * this.control;
        this.meta = ByteBuffer.allocateDirect(pollfd + 8).order(ByteOrder.nativeOrder());
        this.metaAddress = MEMORY.getDirectBufferAddress(meta);
        int stride = (headroom + slotSize + 63) & ~63;
        ByteBuffer data = ByteBuffer.allocateDirect(slots * stride + 64);
        long dataAddress = MEMORY.getDirectBufferAddress(data);
        int skew = (int) (-dataAddress & 63); // slots start on cache lines
        this.views = new ByteBuffer[slots];
        for (int i = 0; i < slots; i++) {
            views[i] = data.slice(skew + i * stride, headroom + slotSize);
            long m = metaAddress + (long) i * MMSGHDR;
            MEMORY.putAddress(m, metaAddress + names + (long) i * NAME);
            MEMORY.putAddress(m + 16, metaAddress + iovecs + (long) i * IOVEC);
            MEMORY.putLong(m + 24, 1);
            MEMORY.putAddress(m + 32, this.control == 0 ? 0L : metaAddress + controls + (long) i * this.control);
            MEMORY.putAddress(metaAddress + iovecs + (long) i * IOVEC, dataAddress + skew + (long) i * stride + headroom);
            MEMORY.putLong(metaAddress + iovecs + (long) i * IOVEC + 8, slotSize);
            reset(i);
        }
    }

    private void reset(int i) {
        int m = i * MMSGHDR;
        meta.putInt(m + MSG_NAMELEN, NAME);
        meta.putLong(m + MSG_CONTROLLEN, control);
        meta.putInt(m + MSG_FLAGS, 0);
    }

    public int capacity() {
        return slots;
    }

    /**
     * Receives with one blocking {@code recvmmsg} ({@code MSG_WAITFORONE}): waits for the first
     * datagram, then takes what else is queued, up to {@link #capacity()}. A busy socket costs one
     * system call per batch (no {@code EAGAIN} read, no {@code poll}). The socket must be blocking
     * (this package's are); the wait ends early on {@link UdpSocket#shutdownInput} and after the
     * socket's receive timeout ({@link UdpSocket#receiveTimeout}).
     *
     * @return as {@link #receive}: slots filled, 0 for nothing (timeout, shutdown), {@code -errno}
     */
    public int receiveWaiting(UdpSocket socket) {
        for (int i = 0; i < filled; i++) {
            reset(i);
        }
        filled = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            int n = LIBC.recvmmsg(socket.fd(), metaAddress, slots, UdpLibC.MSG_WAITFORONE, 0L);
            if (n >= 0) {
                filled = n;
                return n;
            }
            int errno = UdpNative.errno();
            if (errno == UdpLibC.EAGAIN) {
                return 0;
            }
            if (errno != UdpLibC.EINTR) {
                return -errno;
            }
        }
        return 0;
    }

    /**
     * Receives what is queued on {@code socket}, up to {@link #capacity()} datagrams in one
     * {@code recvmmsg}; when nothing is, waits up to {@code timeoutMillis} ({@code poll(2)}) and
     * tries once more.
     *
     * @return the number of slots filled; 0 when nothing arrived in time, or the socket was shut
     *         down; {@code -errno} on an error of the socket itself (for example {@code -EBADF})
     */
    public int receive(UdpSocket socket, int timeoutMillis) {
        return receive(socket, timeoutMillis, false);
    }

    /**
     * As {@link #receive(UdpSocket, int)}, but with {@code waitFirst} (the previous receive
     * drained the queue: it filled fewer slots than it had) the wait comes first: at idle each
     * wakeup is then one {@code poll} and one {@code recvmmsg}, not an extra {@code recvmmsg} that
     * finds nothing. {@code poll} returns at once when datagrams arrived meanwhile.
     */
    public int receive(UdpSocket socket, int timeoutMillis, boolean waitFirst) {
        for (int i = 0; i < filled; i++) {
            reset(i);
        }
        filled = 0;
        int fd = socket.fd();
        if (waitFirst && !await(fd, timeoutMillis)) {
            return 0;
        }
        for (int attempt = waitFirst ? 1 : 0; attempt < 3; attempt++) {
            int n = LIBC.recvmmsg(fd, metaAddress, slots, UdpLibC.MSG_DONTWAIT, 0L);
            if (n >= 0) {
                filled = n;
                return n;
            }
            int errno = UdpNative.errno();
            if (errno == UdpLibC.EAGAIN) {
                if (attempt > 0 || !await(fd, timeoutMillis)) {
                    return 0;
                }
            } else if (errno != UdpLibC.EINTR) {
                return -errno;
            }
        }
        return 0;
    }

    /** {@code poll(2)} for input on {@code fd}: false when nothing came in time (or it failed). */
    private boolean await(int fd, int timeoutMillis) {
        meta.putInt(pollfd, fd);
        meta.putShort(pollfd + 4, UdpLibC.POLLIN);
        meta.putShort(pollfd + 6, (short) 0);
        return LIBC.poll(metaAddress + pollfd, 1, timeoutMillis) > 0;
    }

    /** The bytes received into slot {@code i} (at most the slot: see {@link #truncated}). */
    public int length(int i) {
        return meta.getInt(i * MMSGHDR + MSG_LEN);
    }

    /** The datagram (or GRO run) of slot {@code i}: {@code [headroom, headroom + length)}, capped at the slot. */
    public ByteBuffer datagram(int i) {
        ByteBuffer v = views[i];
        v.limit(headroom + Math.min(slotSize, Math.max(0, length(i)))).position(headroom);
        return v;
    }

    /** {@code MSG_TRUNC}: the datagram did not fit its slot; the rest of it is lost. */
    public boolean truncated(int i) {
        return (meta.getInt(i * MMSGHDR + MSG_FLAGS) & UdpLibC.MSG_TRUNC) != 0;
    }

    /** {@code MSG_CTRUNC}: control messages did not fit (a GRO segment size may be missing). */
    public boolean controlTruncated(int i) {
        return (meta.getInt(i * MMSGHDR + MSG_FLAGS) & UdpLibC.MSG_CTRUNC) != 0;
    }

    /** The GRO segment size of slot {@code i}: 0 for one datagram, {@link UdpWire#MALFORMED}. */
    public int segmentSize(int i) {
        long len = meta.getLong(i * MMSGHDR + MSG_CONTROLLEN);
        if (len == 0) {
            return 0;
        }
        return len > control ? UdpWire.MALFORMED : UdpWire.groSegmentSize(meta, controls + i * control, (int) len);
    }

    /**
     * Copies slot {@code i}'s source {@code sockaddr} as received to native memory at
     * {@code address} (room for {@value #NAME} bytes), for a reply to it ({@link UdpSendBatch}).
     *
     * @return its length, or -1 when it is not a whole IPv4 or IPv6 address
     */
    int copySource(int i, long address) {
        int len = meta.getInt(i * MMSGHDR + MSG_NAMELEN);
        if (len > NAME || len < 2) {
            return -1;
        }
        int family = meta.getShort(names + i * NAME) & 0xffff; // host order, as the kernel wrote it
        if (!(family == UdpLibC.AF_INET && len >= UdpWire.SOCKADDR_IN)
                && !(family == UdpLibC.AF_INET6 && len >= UdpWire.SOCKADDR_IN6)) {
            return -1;
        }
        MEMORY.copyMemory(metaAddress + names + (long) i * NAME, address, len);
        return len;
    }

    /** Reads slot {@code i}'s source into {@code into}; false when it is not an IPv4/IPv6 address. */
    public boolean source(int i, UdpSource into) {
        int len = meta.getInt(i * MMSGHDR + MSG_NAMELEN);
        return len <= NAME && UdpWire.parseSource(meta, names + i * NAME, len, into);
    }
}
