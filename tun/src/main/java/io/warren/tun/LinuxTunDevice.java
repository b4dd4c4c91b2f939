package io.warren.tun;

import com.kenai.jffi.MemoryIO;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.AsynchronousCloseException;
import java.util.concurrent.atomic.AtomicLongArray;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * One queue (fd) of a kernel TUN/TAP device. The fd is always {@code O_NONBLOCK}; a blocking read
 * is {@code read} then, on {@code EAGAIN}, {@code poll} on the fd plus an eventfd that
 * {@link #close()} signals. Buffers are passed by native address: no copy, no allocation per packet.
 */
public final class LinuxTunDevice implements TunDevice {
    private static final MemoryIO MEMORY_IO = MemoryIO.getInstance();
    private static final int POLLFD_SIZE = 8;
    private static final int IOVEC_SIZE = 16;
    /** One byte past the caller's room: a packet that reaches it did not fit (see readOnce). */
    private static final Pointer OVERFLOW_BYTE = Memory.allocateDirect(Native.RUNTIME, 1, true);
    /** Per reading thread: struct iovec[2] = {caller's room, OVERFLOW_BYTE}. */
    private static final ThreadLocal<Pointer> IOVECS = ThreadLocal.withInitial(() -> {
        Pointer iov = Memory.allocateDirect(Native.RUNTIME, 2 * IOVEC_SIZE, true);
        iov.putLong(IOVEC_SIZE, OVERFLOW_BYTE.address());
        iov.putLong(IOVEC_SIZE + 8, 1);
        return iov;
    });

    private final int fd;
    private final int wakeFd;
    private final String name;
    private final TunMode mode;
    private final boolean vnetHdr;
    private final boolean nonBlocking;
    private final ControlSocket control;
    private final boolean ownsControl;
    private final NativeHandle handle;
    /** pollfd[2] {tun fd, POLLIN}, {eventfd, POLLIN}; shared by readers (same content). */
    private final Pointer pollIn;
    /** pollfd[2] {tun fd, POLLOUT}, {eventfd, POLLIN}; for writers. */
    private final Pointer pollOut;
    /** Eight bytes holding 1, written to the eventfd to wake pollers. */
    private final Pointer one;
    private final AtomicLongArray drops = new AtomicLongArray(TunDrop.values().length);
    /**
     * The last {@link #readBatch} stopped on EAGAIN (not on a full array). Only the reading thread
     * uses it; with several readers a stale value costs one poll or one read, nothing more.
     */
    private boolean drained;

    LinuxTunDevice(int fd, int wakeFd, String name, TunOptions options, ControlSocket control,
            boolean ownsControl) {
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.name = name;
        this.mode = options.mode();
        this.vnetHdr = options.vnetHdr();
        this.nonBlocking = options.nonBlocking();
        this.control = control;
        this.ownsControl = ownsControl;
        this.pollIn = pollSet(fd, wakeFd, LibC.POLLIN);
        this.pollOut = pollSet(fd, wakeFd, LibC.POLLOUT);
        this.one = Memory.allocateDirect(Native.RUNTIME, 8, true);
        one.putLong(0, 1L);
        this.handle = new NativeHandle(this::closeDescriptors);
    }

    private static Pointer pollSet(int fd, int wakeFd, short events) {
        Pointer p = Memory.allocateDirect(Native.RUNTIME, 2 * POLLFD_SIZE, true);
        p.putInt(0, fd);
        p.putShort(4, events);
        p.putInt(POLLFD_SIZE, wakeFd);
        p.putShort(POLLFD_SIZE + 4, LibC.POLLIN);
        return p;
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

    /** The TUN file descriptor (for diagnostics and benchmarks; do not close it). */
    public int fd() {
        return fd;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        long address = writableAddress(dst);
        handle.acquire();
        try {
            for (;;) {
                int n = readOnce(dst, address);
                if (n != 0 || nonBlocking) {
                    return n;
                }
                await(pollIn);
            }
        } finally {
            handle.release();
        }
    }

    @Override
    public int readBatch(ByteBuffer[] bufs) throws IOException {
        if (bufs.length == 0) {
            return 0;
        }
        handle.acquire();
        try {
            if (drained) {
                // The last batch emptied the queue: a read now would almost surely answer EAGAIN
                // (one wasted syscall per wakeup at idle), so wait first; poll returns at once
                // when packets came in meanwhile.
                await(pollIn);
            }
            int count = 0;
            for (;;) {
                while (count < bufs.length && readOnce(bufs[count], writableAddress(bufs[count])) != 0) {
                    count++;
                }
                if (count > 0) {
                    drained = count < bufs.length;
                    return count;
                }
                await(pollIn);
            }
        } finally {
            handle.release();
        }
    }

    /**
     * One packet, or 0 on EAGAIN; packets that do not fit are counted and skipped. The kernel
     * silently truncates a packet to the space given, so the read is a {@code readv} with one
     * extra byte: a packet that reaches it was longer than the caller's room.
     */
    private int readOnce(ByteBuffer dst, long address) throws IOException {
        int position = dst.position();
        int room = dst.limit() - position;
        Pointer iov = IOVECS.get();
        long iovAddress = iov.address();
        iov.putLong(0, address + position);
        iov.putLong(8, room);
        for (;;) {
            long n = Native.LIBC.readv(fd, iovAddress, 2);
            if (n > room) {
                drops.incrementAndGet(TunDrop.READ_TRUNCATED.ordinal());
                continue;
            }
            if (n > 0) {
                dst.position(position + (int) n);
                return (int) n;
            }
            if (n == 0) {
                continue;
            }
            int errno = Native.errno();
            if (errno == Errno.EAGAIN.number()) {
                return 0;
            }
            if (errno != Errno.EINTR.number()) {
                throw TunException.of("cannot read from " + mode + " device " + name, errno, null);
            }
        }
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        long address = address(src);
        handle.acquire();
        try {
            int position = src.position();
            int length = src.limit() - position;
            for (;;) {
                long n = Native.LIBC.write(fd, address + position, length);
                if (n >= 0) {
                    src.position(src.limit());
                    return;
                }
                int errno = Native.errno();
                if (errno == Errno.EINTR.number()) {
                    continue;
                }
                if (errno == Errno.EAGAIN.number() && !nonBlocking) {
                    await(pollOut);
                    continue;
                }
                TunDrop drop = writeDrop(errno);
                if (drop == null) {
                    throw TunException.of("cannot write to " + mode + " device " + name, errno, null);
                }
                drops.incrementAndGet(drop.ordinal());
                src.position(src.limit());
                return;
            }
        } finally {
            handle.release();
        }
    }

    private static TunDrop writeDrop(int errno) {
        Errno e = Errno.valueOf(errno);
        if (e == null) {
            return null;
        }
        return switch (e) {
            case EINVAL, EMSGSIZE -> TunDrop.WRITE_MALFORMED;
            case EIO -> TunDrop.WRITE_DEVICE_DOWN;
            case EAGAIN, ENOBUFS, ENOMEM -> TunDrop.WRITE_NO_BUFFER;
            default -> null;
        };
    }

    /** Polls until the fd is ready or the device is closed (then AsynchronousCloseException). */
    private void await(Pointer pollSet) throws IOException {
        for (;;) {
            if (handle.isClosed()) {
                throw new AsynchronousCloseException();
            }
            int r = Native.LIBC.poll(pollSet, 2, -1);
            if (handle.isClosed()) {
                throw new AsynchronousCloseException();
            }
            if (r >= 0) {
                return;
            }
            int errno = Native.errno();
            if (errno != Errno.EINTR.number()) {
                throw TunException.of("cannot poll " + mode + " device " + name, errno, null);
            }
        }
    }

    private static long writableAddress(ByteBuffer buffer) {
        if (buffer.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        return address(buffer);
    }

    private static long address(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("TUN I/O needs a direct ByteBuffer");
        }
        return MEMORY_IO.getDirectBufferAddress(buffer);
    }

    @Override
    public int mtu() throws IOException {
        handle.acquire();
        try {
            return control.mtu(name);
        } finally {
            handle.release();
        }
    }

    @Override
    public long dropped(TunDrop reason) {
        return drops.get(reason.ordinal());
    }

    @Override
    public void close() {
        handle.close(() -> Native.LIBC.write(wakeFd, one.address(), 8));
    }

    ControlSocket controlForQueues() {
        return control;
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return handle.isClosed();
    }

    private void closeDescriptors() {
        Native.LIBC.close(fd);
        Native.LIBC.close(wakeFd);
        if (ownsControl) {
            control.close();
        }
    }

    @Override
    public String toString() {
        return "LinuxTunDevice[" + name + ", " + mode + (vnetHdr ? ", vnet_hdr" : "") + ", fd " + fd + "]";
    }
}
