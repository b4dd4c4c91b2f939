package io.warren.gateway.l2;

import io.netty.buffer.ByteBuf;
import io.warren.tun.TunDevice;
import io.warren.tun.VirtioNetHeader;
import io.warren.tun.offload.GsoSegmenter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The outbound loop of an {@link L2Tunnel}: reads batches of frames from the TAP device into a fixed
 * ring of direct buffers (with headroom for the overlay header) and hands each batch to the tunnel.
 * Ends when the device is closed.
 *
 * <p>On a TAP with {@code IFF_VNET_HDR} (and TSO/USO offloads) each read starts with a
 * {@link VirtioNetHeader} and may be a super-frame of up to 64 KB: a partial checksum is finished
 * here; a super-frame goes to {@link L2Tunnel#outboundSuper} (cut into its {@link FrameArena}, sent
 * as one UDP GSO run); other frames are batched as on a plain TAP, in order.
 */
final class TapReader implements Runnable {
    private static final Logger LOG = Logger.getLogger(TapReader.class.getName());
    /** Frames per read batch. */
    static final int BATCH = 32;
    /** Reads per batch with offloads (each up to 64 KB). */
    static final int VNET_BATCH = 8;
    /** Largest read with offloads: the header, a 64 KB IP packet and an Ethernet header with a tag. */
    static final int MAX_SUPER_FRAME = VirtioNetHeader.SIZE + 65_535 + L2Switch.ETHERNET_HEADER + L2Switch.VLAN_TAG;

    private final L2Tunnel tunnel;
    private final TunDevice tap;
    private final boolean vnet;
    private final ByteBuffer[] ring;
    private final ByteBuf[] views;
    private final int maxRead;
    private final FrameArena arena;
    /** With vnet: the frames of the batch that need no cutting, after their headers, and their views. */
    private final ByteBuffer[] plain;
    private final ByteBuf[] plainViews;

    /** @param mtu the largest segment MTU (Ethernet payload) of the tunnel */
    TapReader(L2Tunnel tunnel, TunDevice tap, int mtu) {
        this.tunnel = tunnel;
        this.tap = tap;
        this.vnet = tap.vnetHdr();
        // Frames up to the MTU; a little slack so the kernel's occasional larger frame is still read whole.
        this.maxRead = vnet ? MAX_SUPER_FRAME : mtu + L2Switch.ETHERNET_HEADER + L2Switch.VLAN_TAG + 64;
        this.ring = new ByteBuffer[vnet ? VNET_BATCH : BATCH];
        this.views = new ByteBuf[ring.length];
        for (int i = 0; i < ring.length; i++) {
            ring[i] = ByteBuffer.allocateDirect(L2Tunnel.HEADROOM + maxRead);
            views[i] = L2Tunnel.view(ring[i]);
        }
        this.arena = vnet ? new FrameArena(mtu) : null;
        this.plain = new ByteBuffer[ring.length];
        this.plainViews = new ByteBuf[ring.length];
    }

    @Override
    public void run() {
        while (!tunnel.isClosed()) {
            try {
                pumpOnce();
            } catch (IOException e) {
                if (!tunnel.isClosed()) {
                    LOG.log(Level.SEVERE, tunnel.name() + ": TAP read failed, outbound traffic stops: " + e.getMessage(), e);
                }
                return;
            }
        }
    }

    /** Reads one batch (waiting for at least one frame) and hands it to the tunnel. */
    void pumpOnce() throws IOException {
        for (ByteBuffer b : ring) {
            b.clear().position(L2Tunnel.HEADROOM).limit(L2Tunnel.HEADROOM + maxRead);
        }
        int n = tap.readBatch(ring);
        for (int i = 0; i < n; i++) {
            ring[i].limit(ring[i].position()).position(L2Tunnel.HEADROOM);
        }
        try {
            if (vnet) {
                outboundVnet(n);
            } else {
                tunnel.outbound(ring, views, n);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, tunnel.name() + ": outbound batch failed", e);
        }
    }

    /** Cuts super-frames (each sent as one run), batches the others; order is kept. */
    private void outboundVnet(int n) {
        int plainCount = 0;
        for (int i = 0; i < n; i++) {
            ByteBuffer b = ring[i];
            int gsoType = GsoSegmenter.consumeHeader(b);
            if (gsoType == GsoSegmenter.MALFORMED) {
                tunnel.l2Counters().drop("offload_malformed");
                continue;
            }
            if (!GsoSegmenter.isGso(gsoType)) {
                plainViews[plainCount] = views[i];
                plain[plainCount++] = b;
                continue;
            }
            if (plainCount > 0) {
                tunnel.outbound(plain, plainViews, plainCount);
                plainCount = 0;
            }
            tunnel.outboundSuper(b, views[i], gsoType, GsoSegmenter.consumedGsoSize(b), arena);
        }
        if (plainCount > 0) {
            tunnel.outbound(plain, plainViews, plainCount);
        }
    }

}
