package io.warren.gateway.transport;

import io.warren.tun.TunDevice;
import io.warren.tun.VirtioNetHeader;
import io.warren.tun.offload.TcpCoalescer;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The last step of the inbound path: writes decrypted, allowed packets to the TUN device. With a
 * virtio-net header (offloads on) the in-order TCP segments of a receive burst are merged
 * ({@link TcpCoalescer}) into one GSO write ({@link #flush} at the burst's end); any other packet
 * gets a header saying DATA_VALID in the bytes the WireGuard header left free. Counts each peer's
 * packets received and a write the kernel refused.
 *
 * <p>Threading: the receive thread only, with the interface lock released (the kernel may answer
 * inside a write, and the TUN reader sealing that answer needs the lock); {@link
 * DeferredTunWrites} hands it the packets recorded under the lock. The coalescer is this thread's
 * alone.
 *
 * <p>Buffers: a packet is written from the receive ring, in place, during the call; the coalescer
 * copies what it holds past the call (the ring is reused by the next receive).
 */
final class TunWriter implements DeferredTunWrites.Writer {
    private final TunDevice tun;
    /** The TUN device puts a virtio-net header before every packet (offloads on). */
    private final boolean vnetHdr;
    private final ShellCounters counters;
    /** Inbound TCP segments of one receive burst merged for one TUN write. */
    private final TcpCoalescer coalescer = new TcpCoalescer();

    TunWriter(TunDevice tun, ShellCounters counters) {
        this.tun = tun;
        this.vnetHdr = tun.vnetHdr();
        this.counters = counters;
    }

    /** Writes {@code pkt[position, limit)}, 16 free bytes before it, for peer {@code p}. */
    @Override
    public void write(ByteBuffer pkt, WgPeer p) {
        if (vnetHdr) {
            if (coalescer.offer(pkt)) {
                p.rxPackets.increment();
                return;
            }
            flush();
            if (coalescer.offer(pkt)) {
                p.rxPackets.increment();
                return;
            }
            // The virtio-net header goes where the WireGuard header was (the 16 bytes before the
            // decrypted packet are free now): no segmentation, and DATA_VALID: the AEAD tag
            // authenticated the packet, so the kernel need not verify the inner checksum again
            // (as kernel WireGuard marks decrypted packets CHECKSUM_UNNECESSARY).
            int pos = pkt.position();
            if (pos < VirtioNetHeader.SIZE) {
                counters.count(ShellCounters.Reason.TUN_WRITE_FAILED);
                return;
            }
            pkt.put(pos - VirtioNetHeader.SIZE, (byte) VirtioNetHeader.F_DATA_VALID);
            for (int i = pos - VirtioNetHeader.SIZE + 1; i < pos; i++) {
                pkt.put(i, (byte) 0);
            }
            pkt.position(pos - VirtioNetHeader.SIZE);
        }
        p.rxPackets.increment(); // before the write: whoever sees the packet sees it counted
        try {
            tun.write(pkt);
        } catch (IOException e) {
            p.rxPackets.decrement();
            counters.count(ShellCounters.Reason.TUN_WRITE_FAILED);
        }
    }

    /** Writes the TCP segments merged so far (a GSO super-packet), if any. */
    void flush() {
        ByteBuffer merged = coalescer.flush();
        if (merged == null) {
            return;
        }
        try {
            tun.write(merged);
        } catch (IOException e) {
            counters.count(ShellCounters.Reason.TUN_WRITE_FAILED);
        }
    }

    /** Whether merged TCP segments wait to be written. */
    boolean holds() {
        return !coalescer.isEmpty();
    }

    /** Whether packets may be merged (the device takes a virtio-net header). */
    boolean coalesces() {
        return vnetHdr;
    }
}
