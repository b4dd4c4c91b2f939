package io.warren.gateway.transport;

import io.warren.crypto.session.SealBatch;
import io.warren.crypto.session.TransportData;
import io.warren.tun.TunDevice;
import io.warren.tun.VirtioNetHeader;
import io.warren.tun.offload.GsoSegmenter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The outbound loop of one TUN queue: reads batches of packets into a fixed ring of direct
 * buffers (headroom before, padding and tag room after) and hands each batch to the
 * {@link OutboundPath} with its own {@link SealBatch} (sealed on its lane after the interface's
 * lock is released).
 * Everything here is the thread's own: ring, segment arena, batch. Ends when the device is closed.
 *
 * <p>On a device with {@code IFF_VNET_HDR} (and TSO/USO offloads) each read starts with a
 * {@link VirtioNetHeader} and may be a super-packet of up to 64 KB: partial checksums are finished
 * here, super-packets are split into the {@link SegmentArena} and sent as one run.
 */
final class TunReader implements Runnable {
    private static final Logger LOG = Logger.getLogger(TunReader.class.getName());
    /** Reads per batch with offloads (each up to 64 KB). */
    private static final int VNET_BATCH = 8;
    private static final int MAX_SUPER_PACKET = 65_535;

    private final WireGuardInterface iface;
    private final OutboundPath outbound;
    private final TunDevice tun;
    private final ByteBuffer[] ring;
    private final int maxPacket;
    private final boolean vnet;
    private final SegmentArena arena;
    /** With vnet: the packets of the batch that need no splitting, after their headers. */
    private final ByteBuffer[] plain;
    /** The packets of the current batch reserved under the interface's lock, sealed after it. */
    private final SealBatch seals;

    /** Reads {@code tun} (queue {@code lane} of the interface) and seals on {@code lane}. */
    TunReader(WireGuardInterface iface, TunDevice tun, int mtu, int lane) {
        this.iface = iface;
        this.outbound = iface.outbound();
        this.tun = tun;
        this.vnet = tun.vnetHdr();
        // Packets up to the MTU; a little slack so the kernel's occasional larger packet is still read whole.
        int inner = vnet ? MAX_SUPER_PACKET : Math.max(mtu, 1280) + 64;
        this.maxPacket = inner + (vnet ? VirtioNetHeader.SIZE : 0);
        this.ring = new ByteBuffer[vnet ? VNET_BATCH : WireGuardInterface.BATCH];
        int capacity = WireGuardInterface.HEADROOM + maxPacket + TransportData.tailroom(inner, mtu);
        for (int i = 0; i < ring.length; i++) {
            ring[i] = ByteBuffer.allocateDirect(capacity);
        }
        this.arena = vnet ? new SegmentArena(mtu) : null;
        this.plain = new ByteBuffer[ring.length];
        this.seals = new SealBatch(Math.max(ring.length, SegmentArena.MAX_SEGMENTS), lane);
    }

    @Override
    public void run() {
        while (!iface.isClosed()) {
            for (ByteBuffer b : ring) {
                b.clear().position(WireGuardInterface.HEADROOM).limit(WireGuardInterface.HEADROOM + maxPacket);
            }
            int n;
            try {
                n = tun.readBatch(ring);
            } catch (IOException e) {
                if (!iface.isClosed()) {
                    LOG.log(Level.SEVERE, iface.name() + ": TUN read failed, outbound traffic stops: " + e.getMessage(), e);
                }
                return;
            }
            for (int i = 0; i < n; i++) {
                ByteBuffer b = ring[i];
                b.limit(b.position()).position(WireGuardInterface.HEADROOM);
            }
            try {
                if (vnet) {
                    outboundVnet(n);
                } else {
                    outbound.packets(ring, n, seals);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, iface.name() + ": outbound batch failed", e);
            }
        }
    }

    /** Splits super-packets (each sent as one run), batches the others; order is kept. */
    private void outboundVnet(int n) {
        int plainCount = 0;
        for (int i = 0; i < n; i++) {
            ByteBuffer b = ring[i];
            int gsoType = GsoSegmenter.consumeHeader(b);
            if (gsoType == GsoSegmenter.MALFORMED) {
                iface.counters().count(ShellCounters.Reason.OUTBOUND_OFFLOAD_MALFORMED);
                continue;
            }
            if (!GsoSegmenter.isGso(gsoType)) {
                plain[plainCount++] = b;
                continue;
            }
            int gsoSize = GsoSegmenter.consumedGsoSize(b);
            if (plainCount > 0) {
                outbound.packets(plain, plainCount, seals);
                plainCount = 0;
            }
            int hdr = SegmentArena.headerLength(b, gsoType);
            int count = hdr < 0 ? GsoSegmenter.MALFORMED : arena.split(b, gsoType, gsoSize, hdr);
            if (count <= 0) {
                iface.counters().count(ShellCounters.Reason.OUTBOUND_OFFLOAD_MALFORMED);
                continue;
            }
            outbound.segments(arena, count, seals);
        }
        if (plainCount > 0) {
            outbound.packets(plain, plainCount, seals);
        }
    }
}
