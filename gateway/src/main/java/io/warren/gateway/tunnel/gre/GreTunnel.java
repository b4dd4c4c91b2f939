package io.warren.gateway.tunnel.gre;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.warren.gateway.tunnel.Tunnel;
import io.warren.tun.TunDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A running L3 GRE tunnel: the thin shell that moves packets between a TUN device, the
 * {@link GreTunnelCore} and a {@link GreUnderlay}. Outbound: a reader thread reads batches from the
 * TUN device into a ring of direct buffers with {@link #HEADROOM} bytes free before each packet,
 * calls the core (which writes the GRE header into the headroom) and sends. Inbound: the
 * underlay's thread hands each GRE packet to the core and writes the result into the TUN device.
 */
public final class GreTunnel implements Tunnel {
    /** Free bytes before each inner packet: the largest GRE header (16) rounded up. */
    static final int HEADROOM = 32;
    static final int BATCH = 32;
    /**
     * The long-lived data-path buffers (allocated once, released in {@code finally}) are not
     * leak-tracked: with paranoid leak detection every access would record a stack trace.
     */
    private static final UnpooledByteBufAllocator LONG_LIVED = new UnpooledByteBufAllocator(true, true);
    private static final Logger LOG = Logger.getLogger(GreTunnel.class.getName());

    private final GreTunnelCore core;
    private final TunDevice tun;
    private final GreUnderlay underlay;
    private final LongSupplier clock;
    private final int maxPacket;
    private volatile boolean closed;
    private Thread reader;

    /**
     * @param tunMtu the TUN device's MTU (reads are sized for it)
     */
    public GreTunnel(GreTunnelCore core, TunDevice tun, GreUnderlay underlay, int tunMtu, LongSupplier clock) {
        this.core = core;
        this.tun = tun;
        this.underlay = underlay;
        this.clock = clock;
        this.maxPacket = Math.max(tunMtu, 1280) + 64;
    }

    /** Starts the underlay receiver and the TUN reader. */
    public synchronized GreTunnel start() {
        underlay.start(new GreUnderlay.Receiver() {
            @Override
            public void received(ByteBuf gre) {
                inbound(gre);
            }

            @Override
            public void malformed() {
                core.outerMalformed();
            }

            @Override
            public void underlayError() {
                core.counters().add(GreCounters.Traffic.UNDERLAY_ERRORS, 1);
            }
        });
        reader = new Thread(this::readLoop, "warren-" + name() + "-tun");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    @Override
    public String name() {
        return core.settings().name();
    }

    public GreTunnelCore core() {
        return core;
    }

    @Override
    public Map<String, Long> counters() {
        return core.counters().asMap();
    }

    private void inbound(ByteBuf gre) {
        GreResult r = core.inbound(gre);
        if (r instanceof GreResult.Deliver d) {
            writeTun(d.inner());
        }
    }

    private void readLoop() {
        ByteBuf[] slots = new ByteBuf[BATCH];
        ByteBuffer[] views = new ByteBuffer[BATCH];
        int capacity = HEADROOM + maxPacket;
        for (int i = 0; i < BATCH; i++) {
            slots[i] = LONG_LIVED.directBuffer(capacity, capacity);
            views[i] = slots[i].nioBuffer(0, capacity);
        }
        try {
            while (!closed) {
                for (ByteBuffer v : views) {
                    v.clear().position(HEADROOM);
                }
                int n;
                try {
                    n = tun.readBatch(views);
                } catch (IOException e) {
                    if (!closed) {
                        LOG.log(Level.SEVERE, name() + ": TUN read failed, outbound traffic stops: " + e.getMessage());
                    }
                    return;
                }
                long now = clock.getAsLong();
                for (int i = 0; i < n; i++) {
                    slots[i].setIndex(HEADROOM, views[i].position());
                    outbound(slots[i], now);
                }
                underlay.flush();
            }
        } finally {
            for (ByteBuf b : slots) {
                b.release();
            }
        }
    }

    private void outbound(ByteBuf pkt, long now) {
        GreResult r;
        try {
            r = core.outbound(pkt, now);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name() + ": outbound packet failed", e);
            return;
        }
        if (r instanceof GreResult.Send s) {
            send(s.gre());
        } else if (r instanceof GreResult.SendAll all) {
            for (ByteBuf b : all.gre()) {
                try {
                    send(b);
                } finally {
                    b.release();
                }
            }
        } else if (r instanceof GreResult.ReplyToTun reply) {
            try {
                writeTun(reply.packet());
            } finally {
                reply.packet().release();
            }
        }
    }

    private void send(ByteBuf gre) {
        try {
            underlay.send(gre);
        } catch (IOException e) {
            core.counters().add(GreCounters.Traffic.TX_ERRORS, 1);
            LOG.log(Level.FINE, name() + ": send failed: " + e.getMessage());
        }
    }

    private void writeTun(ByteBuf pkt) {
        try {
            ByteBuffer nio = pkt.nioBuffer(pkt.readerIndex(), pkt.readableBytes());
            if (!nio.isDirect()) {
                nio = ByteBuffer.allocateDirect(nio.remaining()).put(nio).flip();
            }
            tun.write(nio);
        } catch (IOException e) {
            core.counters().add(GreCounters.Traffic.TUN_WRITE_ERRORS, 1);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        underlay.close();
        tun.close();
        Thread t;
        synchronized (this) {
            t = reader;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
