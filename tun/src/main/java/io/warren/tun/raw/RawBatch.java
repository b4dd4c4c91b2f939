package io.warren.tun.raw;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * A batch of packets for one {@code sendmmsg(2)} or {@code recvmmsg(2)} call on a
 * {@link RawSocket}: native {@code struct mmsghdr} and {@code struct iovec} arrays (one iovec per
 * message, no address: the socket is connected) pointing into the caller's direct memory.
 *
 * <p>Send: {@link #add} queues {@code [address, address + length)}; the memory must stay unchanged
 * until {@link RawSocket#sendBatch} returns, which empties the batch. Receive: {@link #add} each
 * receive slot once; after {@link RawSocket#receiveBatch} {@link #length(int)} is the length of
 * message i (larger than its slot when the kernel truncated it). Not thread-safe: one per thread.
 * The native arrays are freed by the garbage collector once the batch is unreachable (so a batch
 * still in use by one thread is never freed under it by another's close).
 */
public final class RawBatch {
    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private final int capacity;
    /** Keeps the native memory reachable as long as the batch is. */
    private final Pointer memory;
    private final long messages;
    private final long iovecs;
    private int size;

    /** @param capacity the most messages per call (the kernel caps a call at 1024, UIO_MAXIOV) */
    public RawBatch(int capacity) {
        if (capacity < 1 || capacity > 1024) {
            throw new IllegalArgumentException("capacity must be 1..1024: " + capacity);
        }
        this.capacity = capacity;
        long mmsgBytes = (long) capacity * RawWire.MMSGHDR_SIZE;
        this.memory = Memory.allocateDirect(Runtime.getSystemRuntime(), mmsgBytes + (long) capacity * RawWire.IOVEC_SIZE, true);
        this.messages = memory.address();
        this.iovecs = messages + mmsgBytes;
        for (int i = 0; i < capacity; i++) {
            long m = messages + (long) i * RawWire.MMSGHDR_SIZE;
            MEMORY.putAddress(m + RawWire.MSG_IOV, iovecs + (long) i * RawWire.IOVEC_SIZE);
            MEMORY.putLong(m + RawWire.MSG_IOVLEN, 1);
        }
    }

    /** The native address of a direct buffer's first byte (not of its position). */
    public static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("raw socket I/O needs a direct ByteBuffer");
        }
        return MEMORY.getDirectBufferAddress(direct);
    }

    /**
     * Appends a message of {@code length} bytes at native {@code address}.
     *
     * @return false when the batch is full (nothing added)
     */
    public boolean add(long address, int length) {
        if (size == capacity) {
            return false;
        }
        long iov = iovecs + (long) size * RawWire.IOVEC_SIZE;
        MEMORY.putAddress(iov, address);
        MEMORY.putLong(iov + 8, length);
        size++;
        return true;
    }

    /** Messages added. */
    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == capacity;
    }

    /** Forgets the messages (the native arrays are kept). */
    public void clear() {
        size = 0;
    }

    /** The length the kernel reported for message {@code i} of the latest receive. */
    public int length(int i) {
        return MEMORY.getInt(messages + (long) i * RawWire.MMSGHDR_SIZE + RawWire.MMSG_LEN);
    }

    long message(int i) {
        return messages + (long) i * RawWire.MMSGHDR_SIZE;
    }
}
