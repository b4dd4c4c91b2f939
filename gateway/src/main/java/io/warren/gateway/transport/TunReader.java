package io.warren.gateway.transport;

import io.warren.crypto.session.TransportData;
import io.warren.tun.TunDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The outbound loop: reads batches of packets from the TUN device into a fixed ring of direct
 * buffers (headroom before, padding and tag room after) and hands each batch to the interface.
 * Ends when the device is closed.
 */
final class TunReader implements Runnable {
    private static final Logger LOG = Logger.getLogger(TunReader.class.getName());

    private final WireGuardInterface iface;
    private final TunDevice tun;
    private final ByteBuffer[] ring;
    private final int maxPacket;

    TunReader(WireGuardInterface iface, TunDevice tun, int mtu) {
        this.iface = iface;
        this.tun = tun;
        // Packets up to the MTU; a little slack so the kernel's occasional larger packet is still read whole.
        this.maxPacket = Math.max(mtu, 1280) + 64;
        this.ring = new ByteBuffer[WireGuardInterface.BATCH];
        int capacity = WireGuardInterface.HEADROOM + maxPacket + TransportData.tailroom(maxPacket, maxPacket);
        for (int i = 0; i < ring.length; i++) {
            ring[i] = ByteBuffer.allocateDirect(capacity);
        }
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
                iface.outbound(ring, n);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, iface.name() + ": outbound batch failed", e);
            }
        }
    }
}
