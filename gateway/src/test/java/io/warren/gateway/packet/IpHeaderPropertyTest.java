package io.warren.gateway.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Ipv4Header#check}, {@link Ipv6Header#check}, the IPv6 extension-header walk and the RFC 1624
 * incremental checksum update on random packets (seeded), valid and damaged, in exact-capacity
 * buffers: nothing is thrown, VALID means what a slow reference says a valid header is, the walk
 * finds what the reference finds, and an incremental update equals a recomputation.
 */
class IpHeaderPropertyTest {
    private static final int PACKETS = 5_000;

    @Test
    void checkAgreesWithTheReference() {
        Random r = new Random(0x5EED_0007L);
        for (int i = 0; i < PACKETS; i++) {
            byte[] p = RandomPackets.build(RandomPackets.valid(r));
            boolean damaged = r.nextBoolean();
            if (damaged) {
                p = RandomPackets.mutate(r, p);
            }
            ByteBuf buf = Forge.exact(p);
            try {
                IpCheck v4 = Ipv4Header.check(buf, 0);
                IpCheck v6 = Ipv6Header.check(buf, 0);
                assertEquals(validV4(p), v4 == IpCheck.VALID, "IPv4 packet " + i);
                assertEquals(validV6(p), v6 == IpCheck.VALID, "IPv6 packet " + i);
                if (!damaged) {
                    assertTrue(v4 == IpCheck.VALID || v6 == IpCheck.VALID, "packet " + i + " forged valid");
                }
                if (v6 == IpCheck.VALID) {
                    int index = Ipv6Header.upperLayerIndex(buf, 0);
                    int protocol = Ipv6Header.upperLayerProtocol(buf, 0);
                    assertTrue(index == -1 || index >= 40 && index <= 40 + Forge.get16(p, 4), "walk left the payload");
                    assertEquals(index == -1, protocol == -1);
                    if (!damaged) {
                        long ref = TcpRef.upper(p);
                        assertEquals(ref < 0 ? -1 : (int) (ref >>> 8), index, "upper-layer index of packet " + i);
                        assertEquals(ref < 0 ? -1 : (int) (ref & 0xFF), protocol, "upper-layer protocol of packet " + i);
                    }
                }
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void incrementalUpdateEqualsRecomputation() {
        Random r = new Random(0x5EED_0008L);
        for (int i = 0; i < PACKETS; i++) {
            byte[] data = RandomPackets.random(r, 2 + 2 * r.nextInt(40));
            int at = 2 * r.nextInt(data.length / 2);
            int checksum = Forge.checksum(data, 0, data.length, 0);
            int old = Forge.get16(data, at);
            int now = r.nextInt(4) == 0 ? old : r.nextInt(0x10000);
            Forge.put16(data, at, now);
            int updated = InetChecksum.update16(checksum, old, now);
            // One's complement has two zeros: compare the checksums as sums (RFC 1624 §3).
            int recomputed = Forge.checksum(data, 0, data.length, 0);
            assertEquals(recomputed % 0xFFFF, updated % 0xFFFF, "update of word " + at + " from " + old + " to " + now);
        }
    }

    private static boolean validV4(byte[] p) {
        if (p.length < 20 || (p[0] & 0xF0) != 0x40) {
            return false;
        }
        int ihl = (p[0] & 0x0F) * 4;
        int total = Forge.get16(p, 2);
        return ihl >= 20 && total >= ihl && total <= p.length && Forge.checksum(p, 0, ihl, 0) == 0;
    }

    private static boolean validV6(byte[] p) {
        return p.length >= 40 && (p[0] & 0xF0) == 0x60 && 40 + Forge.get16(p, 4) <= p.length;
    }
}
