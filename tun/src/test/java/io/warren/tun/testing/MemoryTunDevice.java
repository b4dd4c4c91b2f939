package io.warren.tun.testing;

import io.warren.tun.TunDevice;
import io.warren.tun.TunDrop;
import io.warren.tun.TunMode;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-memory {@link TunDevice} with the kernel device's contract: one packet per read, bounded
 * queues that drop (and count {@link TunDrop#QUEUE_FULL}) when full, truncated reads dropped and
 * counted, blocking reads that wake with {@link AsynchronousCloseException} on close.
 *
 * <p>"Inbound" packets are what the code under test reads (what the kernel would route into the
 * device); "outbound" packets are what it writes. A lone device collects its outbound packets for
 * {@link #takeWritten}; in a {@link #pair} each side's writes become the other side's reads.
 */
public final class MemoryTunDevice implements TunDevice {
    /** Default queue capacity, like a {@code txqueuelen} of 500. */
    public static final int DEFAULT_CAPACITY = 500;

    private final String name;
    private final TunMode mode;
    private final boolean vnetHdr;
    private final int mtu;
    private final boolean nonBlocking;
    private final Queue inbound;
    private final Queue outbound;
    private final AtomicLongArray drops = new AtomicLongArray(TunDrop.values().length);

    /** A blocking TUN device named {@code name}, MTU 1420, capacity {@link #DEFAULT_CAPACITY}. */
    public MemoryTunDevice(String name) {
        this(name, TunMode.TUN, false, 1420, DEFAULT_CAPACITY, false);
    }

    public MemoryTunDevice(String name, TunMode mode, boolean vnetHdr, int mtu, int capacity, boolean nonBlocking) {
        this(name, mode, vnetHdr, mtu, nonBlocking, new Queue(checkCapacity(capacity)), new Queue(capacity));
    }

    private MemoryTunDevice(String name, TunMode mode, boolean vnetHdr, int mtu, boolean nonBlocking,
            Queue inbound, Queue outbound) {
        this.name = Objects.requireNonNull(name, "name");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.vnetHdr = vnetHdr;
        this.mtu = mtu;
        this.nonBlocking = nonBlocking;
        this.inbound = inbound;
        this.outbound = outbound;
    }

    private static int checkCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        return capacity;
    }

    /** Two devices back to back: what {@code a} writes, {@code b} reads, and the other way round. */
    public static MemoryTunDevice[] pair(String nameA, String nameB) {
        Queue toA = new Queue(DEFAULT_CAPACITY);
        Queue toB = new Queue(DEFAULT_CAPACITY);
        MemoryTunDevice a = new MemoryTunDevice(nameA, TunMode.TUN, false, 1420, false, toA, toB);
        MemoryTunDevice b = new MemoryTunDevice(nameB, TunMode.TUN, false, 1420, false, toB, toA);
        return new MemoryTunDevice[] {a, b};
    }

    /** Queues a packet for the code under test to read; false (and counted) if the queue is full. */
    public boolean inject(byte[] packet) {
        return offer(inbound, packet.clone());
    }

    /** Queues {@code packet}'s remaining bytes without moving its position. */
    public boolean inject(ByteBuffer packet) {
        byte[] copy = new byte[packet.remaining()];
        packet.duplicate().get(copy);
        return offer(inbound, copy);
    }

    private boolean offer(Queue queue, byte[] packet) {
        boolean ok = queue.offer(packet);
        if (!ok) {
            drops.incrementAndGet(TunDrop.QUEUE_FULL.ordinal());
        }
        return ok;
    }

    /** The next packet the code under test wrote, or null after {@code timeout}. */
    public byte[] takeWritten(Duration timeout) throws InterruptedException {
        return outbound.poll(timeout);
    }

    /** The next written packet, or null if none is queued. */
    public byte[] pollWritten() {
        return outbound.pollNow();
    }

    /** Packets waiting to be read. */
    public int pendingReads() {
        return inbound.size();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TunMode mode() {
        return mode;
    }

    @Override
    public boolean vnetHdr() {
        return vnetHdr;
    }

    @Override
    public int read(ByteBuffer dst) throws ClosedChannelException {
        for (;;) {
            byte[] packet = inbound.take(!nonBlocking);
            if (packet == null) {
                return 0;
            }
            if (packet.length <= dst.remaining()) {
                dst.put(packet);
                return packet.length;
            }
            drops.incrementAndGet(TunDrop.READ_TRUNCATED.ordinal());
        }
    }

    @Override
    public int readBatch(ByteBuffer[] bufs) throws ClosedChannelException {
        int count = 0;
        while (count < bufs.length) {
            byte[] packet = inbound.take(count == 0);
            if (packet == null) {
                break;
            }
            if (packet.length <= bufs[count].remaining()) {
                bufs[count++].put(packet);
            } else {
                drops.incrementAndGet(TunDrop.READ_TRUNCATED.ordinal());
            }
        }
        return count;
    }

    @Override
    public void write(ByteBuffer src) throws ClosedChannelException {
        if (inbound.isClosed()) {
            throw new ClosedChannelException();
        }
        byte[] packet = new byte[src.remaining()];
        src.get(packet);
        offer(outbound, packet);
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public long dropped(TunDrop reason) {
        return drops.get(reason.ordinal());
    }

    /** Closes the device and wakes blocked readers; queued packets are discarded. Idempotent. */
    @Override
    public void close() {
        inbound.close();
    }

    /** A bounded FIFO of packets whose blocking take wakes on close. */
    private static final class Queue {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition notEmpty = lock.newCondition();
        private final ArrayDeque<byte[]> packets = new ArrayDeque<>();
        private final int capacity;
        private boolean closed;

        Queue(int capacity) {
            this.capacity = capacity;
        }

        boolean offer(byte[] packet) {
            lock.lock();
            try {
                if (closed || packets.size() >= capacity) {
                    return false;
                }
                packets.addLast(packet);
                notEmpty.signal();
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** Next packet; waits if {@code wait}, else null when empty. Throws once closed. */
        byte[] take(boolean wait) throws ClosedChannelException {
            lock.lock();
            try {
                if (closed) {
                    throw new ClosedChannelException();
                }
                while (packets.isEmpty()) {
                    if (!wait) {
                        return null;
                    }
                    notEmpty.awaitUninterruptibly();
                    if (closed) {
                        throw new AsynchronousCloseException();
                    }
                }
                return packets.pollFirst();
            } finally {
                lock.unlock();
            }
        }

        byte[] poll(Duration timeout) throws InterruptedException {
            long nanos = timeout.toNanos();
            lock.lock();
            try {
                while (packets.isEmpty()) {
                    if (nanos <= 0) {
                        return null;
                    }
                    nanos = notEmpty.awaitNanos(nanos);
                }
                return packets.pollFirst();
            } finally {
                lock.unlock();
            }
        }

        byte[] pollNow() {
            lock.lock();
            try {
                return packets.pollFirst();
            } finally {
                lock.unlock();
            }
        }

        int size() {
            lock.lock();
            try {
                return packets.size();
            } finally {
                lock.unlock();
            }
        }

        boolean isClosed() {
            lock.lock();
            try {
                return closed;
            } finally {
                lock.unlock();
            }
        }

        void close() {
            lock.lock();
            try {
                closed = true;
                packets.clear();
                notEmpty.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
