package io.warren.tun.udp;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A fixed batch of replies for one {@code sendmmsg(2)}: per slot a {@code struct mmsghdr}, one
 * iovec, the destination {@code sockaddr} copied as received from a {@link UdpReceiveBatch} slot
 * (no {@link java.net.InetSocketAddress} is ever built) and a data area of {@link #slotSize()}
 * bytes. Everything is allocated once; {@link #add} and {@link #flush} allocate nothing.
 *
 * <p>A full socket buffer ({@code EAGAIN}) is waited out for at most one millisecond per attempt,
 * then the rest of the batch is dropped and counted; a datagram the kernel refuses (the first of
 * a call that fails) is dropped and counted and the rest still sent. Confined to one thread.
 */
public final class UdpSendBatch {
    private static final UdpLibC LIBC = UdpNative.LIBC;
    private static final MemoryIO MEMORY = UdpNative.MEMORY;
    /** struct mmsghdr: struct msghdr (56 bytes, see {@link UdpSendSocket}), msg_len u32 at 56, padded. */
    private static final int MMSGHDR = 64;
    private static final int MSG_NAMELEN = 8;
    private static final int IOVEC = 16;
    private static final int NAME = UdpReceiveBatch.NAME;

    private final int slots;
    private final int slotSize;
    private final ByteBuffer meta;
    private final long metaAddress;
    private final int iovecs;
    private final int names;
    private final int pollfd;
    private final ByteBuffer data;
    private int count;
    private long dropped;

    /**
     * @param slots    datagrams per {@code sendmmsg}, 1..1024
     * @param slotSize the largest datagram a slot takes
     */
    public UdpSendBatch(int slots, int slotSize) {
        if (slots < 1 || slots > 1024 || slotSize < 1) {
            throw new IllegalArgumentException("slots " + slots + ", size " + slotSize);
        }
        this.slots = slots;
        this.slotSize = slotSize;
        this.iovecs = slots * MMSGHDR;
        this.names = iovecs + slots * IOVEC;
        this.pollfd = names + slots * NAME;
        this.meta = ByteBuffer.allocateDirect(pollfd + 8).order(ByteOrder.nativeOrder());
        this.metaAddress = MEMORY.getDirectBufferAddress(meta);
        this.data = ByteBuffer.allocateDirect(slots * slotSize);
        long dataAddress = MEMORY.getDirectBufferAddress(data);
        for (int i = 0; i < slots; i++) {
            long m = metaAddress + (long) i * MMSGHDR;
            MEMORY.putAddress(m, metaAddress + names + (long) i * NAME);
            MEMORY.putAddress(m + 16, metaAddress + iovecs + (long) i * IOVEC);
            MEMORY.putLong(m + 24, 1);
            MEMORY.putAddress(metaAddress + iovecs + (long) i * IOVEC, dataAddress + (long) i * slotSize);
        }
    }

    public int capacity() {
        return slots;
    }

    public int slotSize() {
        return slotSize;
    }

    /** Datagrams queued and not yet flushed. */
    public int size() {
        return count;
    }

    /** Datagrams dropped: refused by the kernel, or the socket stayed full. */
    public long dropped() {
        return dropped;
    }

    /**
     * Queues {@code bytes[offset, offset + length)} to the source of slot {@code slot} of
     * {@code received} (which must still hold that receive). Flush first when {@link #size()} is
     * {@link #capacity()}.
     *
     * @return false (nothing queued) when the batch is full, the datagram longer than a slot, or
     *         the source not an IPv4/IPv6 address
     */
    public boolean add(UdpReceiveBatch received, int slot, byte[] bytes, int offset, int length) {
        if (count == slots || length < 0 || length > slotSize) {
            return false;
        }
        int namelen = received.copySource(slot, metaAddress + names + (long) count * NAME);
        if (namelen < 0) {
            return false;
        }
        meta.putInt(count * MMSGHDR + MSG_NAMELEN, namelen);
        meta.putLong(iovecs + count * IOVEC + 8, length);
        data.put(count * slotSize, bytes, offset, length);
        count++;
        return true;
    }

    /**
     * Sends every queued datagram on {@code socket} with as few {@code sendmmsg} calls as the
     * kernel allows, then empties the batch.
     *
     * @return the datagrams the kernel took
     */
    public int flush(UdpSocket socket) {
        int fd = socket.fd();
        int sent = 0;
        int from = 0;
        int waits = 0;
        while (from < count) {
            int n = LIBC.sendmmsg(fd, metaAddress + (long) from * MMSGHDR, count - from, UdpLibC.MSG_DONTWAIT);
            if (n > 0) {
                from += n;
                sent += n;
                continue;
            }
            int errno = n < 0 ? UdpNative.errno() : UdpLibC.EAGAIN;
            if (errno == UdpLibC.EINTR) {
                continue;
            }
            if (errno == UdpLibC.EAGAIN && waits < 3) {
                waits++;
                meta.putInt(pollfd, fd);
                meta.putShort(pollfd + 4, UdpLibC.POLLOUT);
                meta.putShort(pollfd + 6, (short) 0);
                LIBC.poll(metaAddress + pollfd, 1, 1);
                continue;
            }
            if (errno == UdpLibC.EAGAIN) {
                break; // still full: drop the rest
            }
            dropped++; // the first datagram of this call was refused (e.g. no route); go on after it
            from++;
        }
        dropped += count - from;
        count = 0;
        return sent;
    }
}
