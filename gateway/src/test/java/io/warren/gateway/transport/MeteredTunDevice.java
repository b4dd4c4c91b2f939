package io.warren.gateway.transport;

import io.warren.tun.TunDevice;
import io.warren.tun.TunDrop;
import io.warren.tun.TunMode;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TUN device for allocation measurements: reads hand out copies of one template packet, as many
 * as the test has {@link #release released}; writes are only counted. Neither allocates (the
 * reader waits with {@code parkNanos}, no queue nodes, no arrays), so whatever the data-path
 * threads allocate is the interface's own.
 */
public final class MeteredTunDevice implements TunDevice {
    private final String name;
    private final TunMode mode;
    private final boolean vnetHdr;
    private final ByteBuffer template;
    private final AtomicLong released = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong writtenBytes = new AtomicLong();
    /** Reader thread only. */
    private long consumed;
    private volatile boolean closed;

    /** @param template what every read returns (copied), or null for a device that is only written */
    public MeteredTunDevice(String name, boolean vnetHdr, byte[] template) {
        this(name, TunMode.TUN, vnetHdr, template);
    }

    /** As above for a device of {@code mode} (a TAP's template is an Ethernet frame). */
    public MeteredTunDevice(String name, TunMode mode, boolean vnetHdr, byte[] template) {
        this.name = name;
        this.mode = mode;
        this.vnetHdr = vnetHdr;
        this.template = template == null ? null : ByteBuffer.allocateDirect(template.length).put(template).flip();
    }

    /** Lets the reader take {@code packets} more copies of the template. */
    public void release(long packets) {
        released.addAndGet(packets);
    }

    public long written() {
        return written.get();
    }

    public long writtenBytes() {
        return writtenBytes.get();
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
        ByteBuffer[] one = {dst};
        return readBatch(one);
    }

    @Override
    public int readBatch(ByteBuffer[] bufs) throws ClosedChannelException {
        long available;
        while ((available = released.get() - consumed) <= 0 || template == null) {
            if (closed) {
                throw new ClosedChannelException();
            }
            LockSupport.parkNanos(20_000);
        }
        int n = (int) Math.min(available, bufs.length);
        int len = template.remaining();
        for (int i = 0; i < n; i++) {
            ByteBuffer b = bufs[i];
            b.put(b.position(), template, 0, len);
            b.position(b.position() + len);
        }
        consumed += n;
        return n;
    }

    @Override
    public void write(ByteBuffer src) throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
        written.incrementAndGet();
        writtenBytes.addAndGet(src.remaining());
        src.position(src.limit());
    }

    @Override
    public int mtu() {
        return 1420;
    }

    @Override
    public long dropped(TunDrop reason) {
        return 0;
    }

    @Override
    public void close() {
        closed = true;
    }
}
