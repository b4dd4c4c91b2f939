package io.warren.tun.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.warren.tun.VirtioNetHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A differential property test of {@link TcpCoalescer}: random interleavings of several TCP flows
 * (IPv4 and IPv6; in order, out of order, duplicated and overlapping segments; PSH, FIN, RST, URG,
 * SYN, ECE, CWR and reserved bits; timestamps that change; TTL, TOS, flow label and DF that change;
 * IPv4 identifications with and without DF; bad TCP and IPv4 header checksums; IPv4 options and
 * IPv6 extension headers) with UDP, pure ACKs, truncated packets and random bytes mixed in, behind
 * no link-layer header or an Ethernet one, are fed to the coalescer as the data paths do (with the
 * TCP checksum verified first, as the GRE writer does, or trusted, as WireGuard does). The oracle:
 * every flushed super-packet is split back into segments, and the written sequence, expanded so,
 * equals the input sequence, packet by packet: byte for byte, except what resegmentation may
 * rewrite (a wrong TCP checksum, corrected; the IPv4 identification of DF packets, renumbered). A
 * packet that must not merge comes out alone and unchanged; every merged segment's checksums hold;
 * no super-packet passes 65,535 bytes or 64 segments.
 */
class TcpCoalescerPropertyTest {
    private static final int SEEDS = 300;
    private static final int PACKETS = 150;
    private static final ByteBuffer IN = ByteBuffer.allocateDirect(70_000);

    /** One thing written to the TUN device: a packet alone (as the caller writes it) or a flush. */
    private record Written(byte[] alone, ByteBuffer flushed) {
    }

    @Test
    void writesBackExactlyWhatCameIn() {
        int merged = 0;
        int supers = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            try {
                int[] counts = run(seed);
                merged += counts[0];
                supers += counts[1];
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
        // Not a vacuous pass: most segments are mergeable and do merge.
        assertTrue(supers > SEEDS * 3 && merged > SEEDS * 20, "merged " + merged + " in " + supers);
        System.out.println("TcpCoalescerPropertyTest: " + SEEDS + " seeds, " + merged + " segments merged into " + supers + " super-packets");
    }

    private static int[] run(int seed) {
        Random r = new Random(seed);
        boolean verify = r.nextBoolean();
        int l2 = new int[] {0, 0, 14, 18}[r.nextInt(4)];
        Flow[] flows = new Flow[1 + r.nextInt(4)];
        for (int i = 0; i < flows.length; i++) {
            flows[i] = new Flow(r, l2);
        }
        List<byte[]> inputs = new ArrayList<>();
        List<Written> written = new ArrayList<>();
        TcpCoalescer c = new TcpCoalescer();
        for (int k = 0; k < PACKETS; k++) {
            Flow f = flows[r.nextInt(100) < 70 ? 0 : r.nextInt(flows.length)]; // long runs of one flow
            byte[] in = f.next(r);
            inputs.add(in);
            int at = 1 + r.nextInt(16);
            ByteBuffer b = IN.clear().position(at).put(in).flip().position(at);
            // As GreTunWriter (verify) and WireGuardInterface (trust the AEAD) call it.
            boolean offered = !verify || GsoSegmenter.tcpChecksumValid(b.duplicate().position(b.position() + l2));
            if (offered && (c.offer(b, l2) || flush(c, written) && c.offer(b, l2))) {
                assertArrayEquals(in, Offload.bytes(b), "the offered packet is not touched");
            } else {
                flush(c, written);
                written.add(new Written(in, null));
            }
            if (r.nextInt(40) == 0) {
                flush(c, written); // the end of a receive burst
            }
        }
        flush(c, written);
        return check(inputs, written, l2, verify);
    }

    private static boolean flush(TcpCoalescer c, List<Written> written) {
        ByteBuffer out = c.flush();
        if (out != null) {
            ByteBuffer copy = ByteBuffer.allocate(out.remaining());
            copy.put(out.duplicate()).flip();
            written.add(new Written(null, copy));
        }
        return true;
    }

    private static int[] check(List<byte[]> inputs, List<Written> written, int l2, boolean verify) {
        int i = 0;
        int merged = 0;
        int supers = 0;
        for (Written w : written) {
            if (w.alone != null || w.flushed.get(1) == VirtioNetHeader.GSO_NONE) {
                byte[] got = w.alone;
                if (got == null) {
                    assertEquals(VirtioNetHeader.F_DATA_VALID, w.flushed.get(0));
                    got = Arrays.copyOfRange(Offload.bytes(w.flushed), VirtioNetHeader.SIZE, w.flushed.remaining());
                }
                assertTrue(i < inputs.size(), "more written than read");
                assertArrayEquals(inputs.get(i), got, "packet " + i + " alone");
                i++;
                continue;
            }
            List<byte[]> segs = Offload.splitSuper(w.flushed, l2);
            supers++;
            for (int s = 0; s < segs.size(); s++, i++) {
                assertTrue(i < inputs.size(), "more written than read");
                byte[] in = inputs.get(i);
                byte[] frame = segs.get(s);
                assertArrayEquals(Arrays.copyOf(in, l2), Arrays.copyOf(frame, l2), "link-layer header " + i);
                byte[] want = Arrays.copyOfRange(in, l2, in.length);
                byte[] got = Arrays.copyOfRange(frame, l2, frame.length);
                String why = mustGoAlone(want, verify);
                if (why != null) {
                    fail("packet " + i + " merged, but " + why + ": " + Pkt.hex(want));
                }
                assertTrue(Pkt.l4ChecksumValid(got), "TCP checksum of merged segment " + i);
                assertTrue(!Pkt.isV4(got) || Pkt.ipv4HeaderValid(got), "IPv4 header checksum of merged segment " + i);
                if (!Arrays.equals(normalized(want), normalized(got))) {
                    assertEquals(Pkt.hex(want), Pkt.hex(got), "merged segment " + i);
                }
                if (Pkt.l4ChecksumValid(want) && !(Pkt.isV4(want) && (want[6] & 0x40) != 0)) {
                    assertArrayEquals(want, got, "merged segment " + i + " byte for byte");
                }
                merged++;
            }
        }
        assertEquals(inputs.size(), i, "everything read is written");
        return new int[] {merged, supers};
    }

    /** What resegmentation may rewrite, zeroed: the TCP checksum; the IPv4 ID (with DF) and header checksum. */
    private static byte[] normalized(byte[] p) {
        byte[] n = p.clone();
        int ip = Pkt.ipHeaderLength(n);
        n[ip + 16] = 0;
        n[ip + 17] = 0;
        if (Pkt.isV4(n) && (n[6] & 0x40) != 0) {
            Arrays.fill(n, 4, 6, (byte) 0);
            Arrays.fill(n, 10, 12, (byte) 0);
        }
        return n;
    }

    /** Why a packet must never be merged (null if it may be), decided independently of the coalescer. */
    static String mustGoAlone(byte[] p, boolean verify) {
        if (p.length < 40) {
            return "runt";
        }
        boolean v4 = (p[0] & 0xff) == 0x45;
        if (!v4 && (p[0] & 0xf0) != 0x60) {
            return "not IPv4 without options nor IPv6";
        }
        if ((v4 ? p[9] : p[6]) != 6) {
            return "not TCP (or an extension header)";
        }
        if (Pkt.get16(p, v4 ? 2 : 4) != p.length - (v4 ? 0 : 40)) {
            return "IP length disagrees";
        }
        if (v4 && ((Pkt.get16(p, 6) & 0x3fff) != 0 || !Pkt.ipv4HeaderValid(p))) {
            return "IPv4 fragment or bad header checksum";
        }
        int ip = v4 ? 20 : 40;
        if (p.length < ip + 20 || Pkt.tcpHeaderLength(p) < 20 || p.length <= ip + Pkt.tcpHeaderLength(p)) {
            return "no TCP payload";
        }
        int flags = Pkt.tcpFlags(p);
        if (flags != 0x10 && flags != 0x18) {
            return "TCP flags " + Integer.toHexString(flags);
        }
        if (verify && !Pkt.l4ChecksumValid(p)) {
            return "bad TCP checksum (verified)";
        }
        return null;
    }

    /** One TCP flow's sender, drifting and misbehaving at random. */
    private static final class Flow {
        final Pkt t;
        final byte[] l2;
        final int mss;
        Pkt last;
        int tsval;

        Flow(Random r, int l2Length) {
            t = r.nextBoolean() ? new Pkt() : Pkt.v6();
            r.nextBytes(t.src);
            r.nextBytes(t.dst);
            t.sport = r.nextInt(65536);
            t.dport = r.nextInt(65536);
            t.seq = r.nextLong() & 0xffffffffL;
            t.ack = r.nextInt();
            t.id = r.nextInt(65536);
            t.frag = r.nextInt(3) == 0 ? 0 : 0x4000;
            t.flowLabel = r.nextInt(1 << 20);
            t.tos = r.nextInt(256);
            t.ttl = 1 + r.nextInt(255);
            tsval = r.nextInt();
            t.tcpOptions = r.nextInt(4) == 0 ? new byte[0] : Pkt.timestamps(tsval, 7);
            mss = new int[] {1, 7, 100, 536, 1000, 1220, 1448, 1460, 8000}[r.nextInt(9)];
            l2 = new byte[l2Length];
            r.nextBytes(l2);
        }

        byte[] next(Random r) {
            int roll = r.nextInt(1000);
            Pkt p = t.clone();
            p.payload = new byte[mss];
            r.nextBytes(p.payload);
            byte[] raw = null;
            if (roll < 600) {
                // the common case: the next full segment
            } else if (roll < 640) {
                p.flags = 0x18; // PSH
            } else if (roll < 680) {
                p.payload = Arrays.copyOf(p.payload, 1 + r.nextInt(mss)); // short
            } else if (roll < 700 && last != null) {
                return frame(last.build()); // duplicate
            } else if (roll < 715) {
                p.seq = t.seq + (1 + r.nextInt(3)) * (long) mss; // a gap (a loss)
            } else if (roll < 730) {
                p.seq = t.seq - 1 - r.nextInt(mss); // overlap
            } else if (roll < 760) {
                p.flags = new int[] {0x11, 0x12, 0x14, 0x30, 0x50, 0x90, 0x02, 0x04, 0x00, 0x19, 0x58}[r.nextInt(11)];
                p.urg = (p.flags & 0x20) != 0 ? 1 + r.nextInt(mss) : 0;
            } else if (roll < 770) {
                p.reserved = 1 << r.nextInt(4);
            } else if (roll < 790) {
                tsval += 1 + r.nextInt(3); // the clock ticks: from now on
                t.tcpOptions = t.tcpOptions.length > 0 ? Pkt.timestamps(tsval, 7) : t.tcpOptions;
                p.tcpOptions = t.tcpOptions;
            } else if (roll < 800) {
                t.ack += r.nextInt(100_000); // data the other way: from now on
                p.ack = t.ack;
            } else if (roll < 810) {
                t.window = r.nextInt(65536);
                p.window = t.window;
            } else if (roll < 820) {
                p.ttl = t.ttl ^ 1 + r.nextInt(255);
            } else if (roll < 830) {
                p.tos ^= 1 << r.nextInt(8);
            } else if (roll < 840) {
                p.flowLabel ^= 1 << r.nextInt(20);
                p.frag ^= 0x4000;
            } else if (roll < 850) {
                p.id += r.nextInt(3) - 1 + (r.nextBoolean() ? 0 : r.nextInt(1000)); // ID unchanged, back, jumping
            } else if (roll < 870) {
                p.badL4Checksum = true;
            } else if (roll < 880) {
                p.badIpChecksum = true;
            } else if (roll < 890) {
                if (p.version == 4) {
                    p.ipOptions = new byte[] {1, 1, 1, 0};
                } else {
                    p.v6ExtType = 0;
                    p.v6Ext = new byte[] {6, 0, 1, 4, 0, 0, 0, 0};
                }
            } else if (roll < 900) {
                p.frag |= r.nextBoolean() ? 0x2000 : 1 + r.nextInt(100);
            } else if (roll < 915) {
                p.payload = new byte[0]; // a pure ACK
            } else if (roll < 930) {
                p.proto = 17;
            } else if (roll < 960) {
                byte[] whole = p.build();
                raw = Arrays.copyOf(whole, r.nextInt(whole.length)); // truncated
            } else if (roll < 975) {
                byte[] whole = p.build();
                whole[r.nextInt(whole.length)] ^= (byte) (1 + r.nextInt(255)); // a byte anywhere
                raw = whole;
            } else if (roll < 985) {
                raw = new byte[r.nextInt(200)];
                r.nextBytes(raw);
            } else {
                p.totalLength = Math.max(0, p.build().length - (p.version == 4 ? 0 : 40) + r.nextInt(5) - 2);
            }
            if (raw != null) {
                return frame(raw);
            }
            last = p;
            if (p.seq == t.seq || roll < 730) {
                t.seq = p.seq + p.payload.length;
            }
            t.id++;
            return frame(p.build());
        }

        private byte[] frame(byte[] ip) {
            byte[] f = Arrays.copyOf(l2, l2.length + ip.length);
            System.arraycopy(ip, 0, f, l2.length, ip.length);
            return f;
        }
    }
}
