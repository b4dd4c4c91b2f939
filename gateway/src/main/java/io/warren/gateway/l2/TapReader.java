package io.warren.gateway.l2;

import io.netty.buffer.ByteBuf;
import io.warren.tun.TunDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The outbound loop of an {@link L2Tunnel}: reads batches of frames from the TAP device into a fixed
 * ring of direct buffers (with headroom for the overlay header) and hands each batch to the tunnel. Ends when the device is closed.
 */
final class TapReader implements Runnable {
    private static final Logger LOG = Logger.getLogger(TapReader.class.getName());
    /** Frames per read batch. */
    static final int BATCH = 32;

    private final L2Tunnel tunnel;
    private final TunDevice tap;
    private final ByteBuffer[] ring = new ByteBuffer[BATCH];
    private final ByteBuf[] views = new ByteBuf[BATCH];
    private final int maxFrame;

    /** @param maxFrame the largest frame to read whole (larger ones are dropped by the device) */
    TapReader(L2Tunnel tunnel, TunDevice tap, int maxFrame) {
        this.tunnel = tunnel;
        this.tap = tap;
        this.maxFrame = maxFrame;
        for (int i = 0; i < ring.length; i++) {
            ring[i] = ByteBuffer.allocateDirect(L2Tunnel.HEADROOM + maxFrame);
            views[i] = L2Tunnel.view(ring[i]);
        }
    }

    @Override
    public void run() {
        while (!tunnel.isClosed()) {
            for (ByteBuffer b : ring) {
                b.clear().position(L2Tunnel.HEADROOM).limit(L2Tunnel.HEADROOM + maxFrame);
            }
            int n;
            try {
                n = tap.readBatch(ring);
            } catch (IOException e) {
                if (!tunnel.isClosed()) {
                    LOG.log(Level.SEVERE, tunnel.name() + ": TAP read failed, outbound traffic stops: " + e.getMessage(), e);
                }
                return;
            }
            for (int i = 0; i < n; i++) {
                ring[i].limit(ring[i].position()).position(L2Tunnel.HEADROOM);
            }
            try {
                tunnel.outbound(ring, views, n);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, tunnel.name() + ": outbound batch failed", e);
            }
        }
    }
}
