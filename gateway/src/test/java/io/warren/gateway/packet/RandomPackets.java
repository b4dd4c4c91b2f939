package io.warren.gateway.packet;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * Random packets for the property tests: {@link #valid} forges a well-formed IPv4 or IPv6 packet
 * (random IPv4 options, IPv6 extension headers, TCP options, flags, fragment fields, addresses and
 * lengths), {@link #mutate} damages one: bytes flipped, a field overwritten, cut short or padded.
 */
final class RandomPackets {

    private RandomPackets() {
    }

    static Forge valid(Random r) {
        Forge f = r.nextBoolean() ? Forge.v4() : Forge.v6();
        f.ttl = 1 + r.nextInt(255);
        if (f.version == 4) {
            f.src4 = address4(r);
            f.dst4 = address4(r);
            f.ipOptions = r.nextInt(3) == 0 ? ipOptions(r) : new byte[0];
            int flags = (r.nextBoolean() ? 0x4000 : 0) | (r.nextInt(5) == 0 ? 0x2000 : 0) | (r.nextInt(20) == 0 ? 0x8000 : 0);
            int offset = r.nextInt(5) == 0 ? r.nextInt(0x2000) : 0;
            f.flagsWord = flags | offset;
        } else {
            f.src6 = address6(r);
            f.dst6 = address6(r);
            extensions(r, f);
        }
        int kind = r.nextInt(10);
        if (kind < 6) {
            f.protocol = IpProtocols.TCP;
            int flags = r.nextInt(4) == 0 ? r.nextInt(256) : (r.nextBoolean() ? 0x02 : 0x12);
            f.l4 = Forge.tcp(flags, tcpOptions(r), dataLength(r));
        } else if (kind < 8) {
            f.protocol = IpProtocols.UDP;
            f.l4 = random(r, 8 + dataLength(r));
        } else {
            f.protocol = f.version == 4 ? IpProtocols.ICMP : IpProtocols.ICMPV6;
            f.l4 = random(r, 8 + dataLength(r));
            int[] types = f.version == 4 ? new int[] {0, 3, 4, 5, 8, 11, 12, 13, 42} : new int[] {1, 2, 3, 4, 127, 128, 129, 135, 137, 200};
            f.l4[0] = (byte) types[r.nextInt(types.length)];
        }
        int max = 0xFFFF - (f.version == 4 ? 20 + f.ipOptions.length : f.ext.length);
        if (f.l4.length > max) {
            f.l4 = Arrays.copyOf(f.l4, max);
        }
        return f;
    }

    /** A copy of {@code packet} with one random kind of damage. */
    static byte[] mutate(Random r, byte[] packet) {
        byte[] p = packet.clone();
        switch (r.nextInt(5)) {
            case 0 -> {
                for (int flips = 1 + r.nextInt(4); flips > 0 && p.length > 0; flips--) {
                    p[r.nextInt(Math.min(p.length, 100))] = (byte) r.nextInt(256);
                }
            }
            case 1 -> {
                if (p.length >= 2) {
                    int at = r.nextInt(Math.min(p.length, 80) - 1);
                    int[] words = {0, 1, 0xFFFF, 0x8000, r.nextInt(0x10000), Forge.get16(p, at) + 1, Forge.get16(p, at) - 1};
                    Forge.put16(p, at, words[r.nextInt(words.length)]);
                }
            }
            case 2 -> p = Arrays.copyOf(p, r.nextInt(p.length + 1));
            case 3 -> p = MssClampForgeryTest.concat(p, random(r, 1 + r.nextInt(40)));
            default -> {
                // The first byte: version and IHL.
                if (p.length > 0) {
                    p[0] = (byte) r.nextInt(256);
                }
            }
        }
        return p;
    }

    private static int dataLength(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> r.nextInt(64);
            case 2 -> r.nextInt(1600);
            default -> r.nextInt(4000);
        };
    }

    private static int address4(Random r) {
        int[] special = {0, 0x7f000001, 0xe0000001, 0xeffffffa, 0xf0000001, -1, 0x0a000001};
        return r.nextInt(8) == 0 ? special[r.nextInt(special.length)] : (1 + r.nextInt(222)) << 24 | r.nextInt(1 << 24);
    }

    private static byte[] address6(Random r) {
        byte[] a = random(r, 16);
        switch (r.nextInt(10)) {
            case 0 -> a = new byte[16];
            case 1 -> a[0] = (byte) 0xFF;
            default -> a[0] = 0x20;
        }
        return a;
    }

    /** Random IPv4 options: NOP, EOL, and options of length 2..8 with and without the copied flag. */
    private static byte[] ipOptions(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int limit = 4 * (1 + r.nextInt(10));
        while (out.size() < limit) {
            int pick = r.nextInt(4);
            if (pick == 0) {
                out.write(1);
            } else if (pick == 1 && r.nextInt(4) == 0) {
                out.write(0);
            } else {
                int len = 2 + r.nextInt(7);
                if (out.size() + len > limit) {
                    out.write(1);
                    continue;
                }
                out.write((r.nextBoolean() ? 0x80 : 0) | (2 + r.nextInt(30)));
                out.write(len);
                out.writeBytes(random(r, len - 2));
            }
        }
        return Arrays.copyOf(out.toByteArray(), limit);
    }

    private static void extensions(Random r, Forge f) {
        int count = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = new int[] {IpProtocols.HOPOPT, IpProtocols.IPV6_OPTS, IpProtocols.IPV6_ROUTE, IpProtocols.IPV6_FRAG}[r.nextInt(4)];
        }
        for (int i = 0; i < count; i++) {
            int next = i + 1 < count ? types[i + 1] : -1;
            byte[] h;
            if (types[i] == IpProtocols.IPV6_FRAG) {
                h = random(r, 8);
                int offset = r.nextInt(3) == 0 ? r.nextInt(0x2000) : 0;
                Forge.put16(h, 2, offset << 3 | (r.nextBoolean() ? 1 : 0));
            } else {
                int units = r.nextInt(3);
                h = new byte[(units + 1) * 8];
                h[1] = (byte) units;
                h[2] = 1;
                h[3] = (byte) (h.length - 4);
            }
            h[0] = (byte) next;
            out.writeBytes(h);
        }
        f.ext = out.toByteArray();
        f.firstExt = count > 0 ? types[0] : -1;
    }

    /** Marks the last extension header's Next Header with the upper-layer protocol, once it is known. */
    static byte[] build(Forge f) {
        if (f.ext.length > 0) {
            int at = 0;
            int type = f.firstExt;
            while (true) {
                int len = type == IpProtocols.IPV6_FRAG ? 8 : ((f.ext[at + 1] & 0xFF) + 1) * 8;
                if (f.ext[at] == -1) {
                    f.ext[at] = (byte) f.protocol;
                    break;
                }
                type = f.ext[at] & 0xFF;
                at += len;
            }
        }
        return f.build();
    }

    /** Random TCP options: MSS (sometimes several, sometimes of a wrong length), NOP, EOL and others. */
    private static byte[] tcpOptions(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int limit = r.nextInt(41);
        while (out.size() < limit) {
            switch (r.nextInt(8)) {
                case 0, 1 -> {
                    out.write(2);
                    out.write(4);
                    int mss = r.nextBoolean() ? 500 + r.nextInt(9000) : r.nextInt(0x10000);
                    out.write(mss >>> 8);
                    out.write(mss);
                }
                case 2 -> out.write(1);
                case 3 -> out.write(r.nextInt(10) == 0 ? 0 : 1);
                case 4 -> out.writeBytes(Bufs.decode("080a1122334400000000"));
                case 5 -> out.writeBytes(Bufs.decode("0402"));
                case 6 -> out.writeBytes(Bufs.decode("030307"));
                default -> {
                    int len = r.nextInt(8);
                    out.write(r.nextBoolean() ? 2 : 20 + r.nextInt(200));
                    out.write(len);
                    out.writeBytes(random(r, Math.max(0, len - 2)));
                }
            }
        }
        return Arrays.copyOf(out.toByteArray(), Math.min(40, out.size()));
    }

    static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
