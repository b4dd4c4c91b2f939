package io.warren.gateway.tunnel.gre;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.warren.gateway.encap.vxlan.FlowHash;
import io.warren.tun.TunDevice;
import io.warren.tun.VirtioNetHeader;
import io.warren.tun.offload.GsoSegmenter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The outbound loop of one GRE tunnel, on its TUN reader thread:
 * <ol>
 *   <li>read a batch from the TUN device into a ring of direct buffers, {@link #HEADROOM} bytes
 *       free before each packet for the GRE header;</li>
 *   <li>with a virtio-net header: finish a partial checksum, or split a TSO/USO super-packet into
 *       MTU-sized packets in the {@link GreSegments} arena (GRE header room before each);</li>
 *   <li>{@link GreTunnelCore#outbound} per packet (checks, MTU, MSS, GRE header in place);</li>
 *   <li>hand the GRE packets to the underlay: a super-packet's run as one UDP GSO send or queued
 *       for one sendmmsg, with the inner flow's hash for GRE-in-UDP source ports;</li>
 *   <li>{@link GreUnderlay#flush()} once per batch (and before the arena is reused).</li>
 * </ol>
 * Ends when the device is closed.
 */
final class GreOutbound implements Runnable {
    /** Free bytes before each packet read: the largest GRE header (16) rounded up. */
    static final int HEADROOM = 32;
    /** Reads per batch without offloads (one packet each). */
    static final int BATCH = 32;
    /** Reads per batch with offloads (each up to 64 KB). */
    private static final int VNET_BATCH = 8;
    private static final int MAX_SUPER_PACKET = 65_535;
    private static final UnpooledByteBufAllocator LONG_LIVED = new UnpooledByteBufAllocator(true, true);
    private static final Logger LOG = Logger.getLogger(GreOutbound.class.getName());

    private final GreTunnelCore core;
    private final TunDevice tun;
    private final GreUnderlay underlay;
    private final LongSupplier clock;
    private final BooleanSupplier closed;
    private final boolean vnet;
    private final int maxPacket;
    /** The largest inner segment of a super-packet: the TUN MTU (may exceed the tunnel MTU). */
    private final int maxSegment;
    private final FlowHash flowHash;
    private final boolean hashFlows;
    private final GreTunWriter tunWriter;

    GreOutbound(GreTunnelCore core, TunDevice tun, GreUnderlay underlay, int tunMtu, LongSupplier clock,
                BooleanSupplier closed, int hashSeed) {
        this.core = core;
        this.tun = tun;
        this.underlay = underlay;
        this.clock = clock;
        this.closed = closed;
        this.vnet = tun.vnetHdr();
        // Packets up to the MTU, with slack so the kernel's occasional larger packet is read whole.
        int inner = vnet ? MAX_SUPER_PACKET : Math.max(tunMtu, 1280) + 64;
        this.maxPacket = inner + (vnet ? VirtioNetHeader.SIZE : 0);
        this.maxSegment = Math.max(Math.max(tunMtu, core.settings().tunnelMtu()), 1280);
        this.flowHash = new FlowHash(hashSeed);
        // RFC 2890 sequencing needs one path (one source port), or packets arrive out of order.
        this.hashFlows = underlay.usesFlowHash() && !core.settings().sequence();
        this.tunWriter = new GreTunWriter(tun, core.counters(), false);
    }

    @Override
    public void run() {
        int n = vnet ? VNET_BATCH : BATCH;
        ByteBuf[] slots = new ByteBuf[n];
        ByteBuffer[] views = new ByteBuffer[n];
        int capacity = HEADROOM + maxPacket;
        GreSegments segments = vnet ? new GreSegments(core.greHeaderLength(), maxSegment) : null;
        try {
            for (int i = 0; i < n; i++) {
                slots[i] = LONG_LIVED.directBuffer(capacity, capacity);
                views[i] = slots[i].nioBuffer(0, capacity);
            }
            while (!closed.getAsBoolean()) {
                for (ByteBuffer v : views) {
                    v.clear().position(HEADROOM);
                }
                int count;
                try {
                    count = tun.readBatch(views);
                } catch (IOException e) {
                    if (!closed.getAsBoolean()) {
                        LOG.log(Level.SEVERE, core.settings().name() + ": TUN read failed, outbound traffic stops: "
                                + e.getMessage());
                    }
                    return;
                }
                long now = clock.getAsLong();
                for (int i = 0; i < count; i++) {
                    try {
                        if (vnet) {
                            outboundVnet(slots[i], views[i], segments, now);
                        } else {
                            slots[i].setIndex(HEADROOM, views[i].position());
                            outbound(slots[i], now);
                        }
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, core.settings().name() + ": outbound packet failed", e);
                    }
                }
                flush();
            }
        } finally {
            flush();
            for (ByteBuf b : slots) {
                if (b != null) {
                    b.release();
                }
            }
            if (segments != null) {
                segments.close();
            }
        }
    }

    /**
     * One read from an offloaded device: {@code slot[HEADROOM, end)} = virtio-net header + packet,
     * where {@code view} is the slot's NIO view with its position at {@code end}.
     */
    private void outboundVnet(ByteBuf slot, ByteBuffer view, GreSegments segments, long now) {
        int end = view.position();
        ByteBuffer pkt = view.limit(end).position(HEADROOM);
        int gsoType = GsoSegmenter.consumeHeader(pkt);
        if (gsoType == GsoSegmenter.MALFORMED) {
            core.counters().drop(GreDrop.OUTBOUND_OFFLOAD_MALFORMED);
            return;
        }
        if (!GsoSegmenter.isGso(gsoType)) {
            slot.setIndex(HEADROOM + VirtioNetHeader.SIZE, end);
            outbound(slot, now);
            return;
        }
        int gsoSize = GsoSegmenter.consumedGsoSize(pkt);
        // The arena is about to be rewritten: what was queued from it must be out first.
        flush();
        int count = segments.split(pkt, gsoType, gsoSize);
        if (count <= 0) {
            core.counters().drop(GreDrop.OUTBOUND_OFFLOAD_MALFORMED);
            return;
        }
        ByteBuf arena = segments.arena;
        int hash = 0;
        if (hashFlows) {
            arena.setIndex(segments.innerStart(0), segments.innerEnd(0));
            hash = flowHash.hashIp(arena);
        }
        int runStart = 0;
        for (int i = 0; i < count; i++) {
            arena.setIndex(segments.innerStart(i), segments.innerEnd(i));
            GreResult r = core.outbound(arena, now);
            if (r instanceof GreResult.Send s && s.gre().readerIndex() == segments.innerStart(i) - segments.greHeader()) {
                continue;
            }
            sendRun(segments, runStart, i, hash);
            runStart = i + 1;
            act(r, hash);
        }
        sendRun(segments, runStart, count, hash);
    }

    /** Sends the GRE packets of segments {@code [from, to)}, back to back in the arena. */
    private void sendRun(GreSegments segments, int from, int to, int hash) {
        if (from >= to) {
            return;
        }
        int offset = segments.innerStart(from) - segments.greHeader();
        int length = segments.innerEnd(to - 1) - offset;
        try {
            underlay.sendRun(segments.arena, offset, length, segments.stride, hash);
        } catch (IOException e) {
            core.counters().add(GreCounters.Traffic.TX_ERRORS, to - from);
        }
    }

    private void outbound(ByteBuf pkt, long now) {
        int hash = hashFlows ? flowHash.hashIp(pkt) : 0;
        act(core.outbound(pkt, now), hash);
    }

    private void act(GreResult r, int hash) {
        if (r instanceof GreResult.Send s) {
            send(s.gre(), hash);
        } else if (r instanceof GreResult.SendAll all) {
            for (ByteBuf b : all.gre()) {
                send(b, hash);
            }
            flush(); // the fragments are released next
            for (ByteBuf b : all.gre()) {
                b.release();
            }
        } else if (r instanceof GreResult.ReplyToTun reply) {
            try {
                tunWriter.write(reply.packet());
            } finally {
                reply.packet().release();
            }
        }
    }

    private void send(ByteBuf gre, int hash) {
        try {
            underlay.send(gre, hash);
        } catch (IOException e) {
            core.counters().add(GreCounters.Traffic.TX_ERRORS, 1);
            LOG.log(Level.FINE, core.settings().name() + ": send failed: " + e.getMessage());
        }
    }

    private void flush() {
        int refused = underlay.flush();
        if (refused > 0) {
            core.counters().add(GreCounters.Traffic.TX_ERRORS, refused);
        }
    }
}
