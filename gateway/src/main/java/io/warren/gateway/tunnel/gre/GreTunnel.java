package io.warren.gateway.tunnel.gre;

import io.netty.buffer.ByteBuf;
import io.warren.gateway.tunnel.Tunnel;
import io.warren.tun.TunDevice;
import java.security.SecureRandom;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A running L3 GRE tunnel: the thin shell that moves packets between a TUN device, the
 * {@link GreTunnelCore} and a {@link GreUnderlay}. Outbound: a reader thread runs
 * {@link GreOutbound} (TUN batches, super-packets split, GRE headers in place, batched sends).
 * Inbound: the underlay's thread hands each GRE packet to the core and the result to a
 * {@link GreTunWriter}, which merges TCP segments into one GSO write per receive burst when the
 * device has offloads. Works on a plain TUN device too (one packet per read and write).
 */
public final class GreTunnel implements Tunnel {
    /** Free bytes before each inner packet read from the TUN device. */
    static final int HEADROOM = GreOutbound.HEADROOM;
    private static final Logger LOG = Logger.getLogger(GreTunnel.class.getName());

    private final GreTunnelCore core;
    private final TunDevice tun;
    private final GreUnderlay underlay;
    private final LongSupplier clock;
    private final int tunMtu;
    private final GreTunWriter inboundWriter;
    private volatile boolean closed;
    private Thread reader;

    /**
     * @param tun    the TUN device, plain or with a virtio-net header and offloads
     *               ({@link io.warren.tun.OffloadedTun}); this tunnel closes it
     * @param tunMtu the TUN device's MTU (reads and segments are sized for it)
     */
    public GreTunnel(GreTunnelCore core, TunDevice tun, GreUnderlay underlay, int tunMtu, LongSupplier clock) {
        this.core = core;
        this.tun = tun;
        this.underlay = underlay;
        this.clock = clock;
        this.tunMtu = tunMtu;
        this.inboundWriter = new GreTunWriter(tun, core.counters(), true);
    }

    /** Starts the underlay receiver and the TUN reader. */
    public synchronized GreTunnel start() {
        underlay.start(new GreUnderlay.Receiver() {
            @Override
            public void received(ByteBuf gre) {
                GreResult r = core.inbound(gre);
                if (r instanceof GreResult.Deliver d) {
                    inboundWriter.write(d.inner());
                }
            }

            @Override
            public void malformed() {
                core.outerMalformed();
            }

            @Override
            public void underlayError() {
                core.counters().add(GreCounters.Traffic.UNDERLAY_ERRORS, 1);
            }

            @Override
            public void burstDone() {
                inboundWriter.flush();
            }
        });
        GreOutbound outbound = new GreOutbound(core, tun, underlay, tunMtu, clock, () -> closed,
                new SecureRandom().nextInt());
        reader = new Thread(outbound, "warren-" + name() + "-tun");
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

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // The TUN device first: it wakes the reader, which must be gone before the underlay's
        // sockets close (it sends on their file descriptors, whose numbers could be reused).
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
                LOG.log(Level.FINE, name() + ": interrupted while closing");
            }
        }
        underlay.close();
    }
}
