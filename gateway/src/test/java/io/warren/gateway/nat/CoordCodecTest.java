package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.UapiKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Coordination packets over IPv6 tunnel addresses, IPv6 endpoints, and truncated or forged input. */
class CoordCodecTest {
    private static final UapiKey B = UapiKey.of(new byte[] {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3,
            2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5});
    private static final CoordMessage.Introduce V6_INTRO = new CoordMessage.Introduce(0x1122334455667788L, B,
            new InetSocketAddress("2001:db8:0:1::7", 40007),
            List.of(AllowedIp.parse("fd00:99::3/128").orElseThrow(), AllowedIp.parse("10.3.0.0/24").orElseThrow()),
            MappingBehaviour.ENDPOINT_INDEPENDENT);

    private static InetAddress ip(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    private static ByteBuffer v6Packet(CoordMessage m) throws Exception {
        return CoordCodec.encode(m, ip("fd00:99::2"), ip("fd00:99::1"));
    }

    @Test
    void anIntroductionWithAnIpv6EndpointTravelsInAnIpv6Packet() throws Exception {
        ByteBuffer p = v6Packet(V6_INTRO);
        assertEquals(6, (p.get(0) & 0xff) >>> 4);
        assertEquals(17, p.get(6), "next header UDP");
        assertEquals(p.remaining() - 40, p.getShort(4) & 0xffff, "payload length");
        assertEquals(CoordWire.PORT, p.getShort(42) & 0xffff);
        assertEquals(0, udpChecksumV6(p), "RFC 8200 §8.1: a valid, non-zero UDP checksum");
        assertTrue(p.getShort(46) != 0);
        assertTrue(CoordCodec.isCoordination(p));
        assertEquals(new CoordDecodeResult.Decoded(V6_INTRO), CoordCodec.decode(p));
        CoordMessage hello = new CoordMessage.Hello(42, MappingBehaviour.ENDPOINT_DEPENDENT);
        assertEquals(new CoordDecodeResult.Decoded(hello), CoordCodec.decode(v6Packet(hello)));
        assertEquals(new CoordDecodeResult.Decoded(V6_INTRO),
                CoordCodec.decode(CoordCodec.encode(V6_INTRO, ip("10.99.0.2"), ip("10.99.0.1"))), "and over IPv4");
    }

    /** The one's-complement sum over the pseudo-header and the UDP datagram: 0 when the checksum is right. */
    private static int udpChecksumV6(ByteBuffer p) {
        int length = p.getShort(4) & 0xffff;
        long sum = length + 17;
        for (int i = 8; i < 40; i += 2) {
            sum += p.getShort(i) & 0xffff;
        }
        for (int i = 40; i < 40 + length; i += 2) {
            sum += i + 1 < 40 + length ? p.getShort(i) & 0xffff : (p.get(i) & 0xff) << 8;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Test
    void unknownMappingValuesReadAsUnknownAndOldHellosStillParse() throws Exception {
        ByteBuffer p = v6Packet(new CoordMessage.Hello(7, MappingBehaviour.ENDPOINT_DEPENDENT));
        p.put(48 + CoordWire.MAPPING_OFFSET, (byte) 9);
        assertEquals(new CoordDecodeResult.Decoded(new CoordMessage.Hello(7)), CoordCodec.decode(p));
        p.put(48 + CoordWire.MAPPING_OFFSET, (byte) 0); // a HELLO from before the mapping byte
        assertEquals(new CoordDecodeResult.Decoded(new CoordMessage.Hello(7, MappingBehaviour.UNKNOWN)),
                CoordCodec.decode(p));
    }

    private static CoordDecodeResult forged(Consumer<ByteBuffer> edit) throws Exception {
        ByteBuffer p = v6Packet(V6_INTRO);
        ByteBuffer copy = ByteBuffer.allocate(p.remaining()).put(p).flip();
        edit.accept(copy);
        return CoordCodec.decode(copy);
    }

    @Test
    void truncatedOrForgedIpv6PacketsAreMalformedOrNotCoordination() throws Exception {
        int body = 48; // IPv6 header + UDP header
        int key = body + CoordWire.FIXED;
        int family = key + 32;
        int count = family + 1 + 2 + 16;
        assertInstanceOf(CoordDecodeResult.NotCoordination.class, forged(b -> b.put(6, (byte) 6)), "TCP");
        assertInstanceOf(CoordDecodeResult.NotCoordination.class, forged(b -> b.put(6, (byte) 0)), "hop-by-hop first");
        assertInstanceOf(CoordDecodeResult.NotCoordination.class, forged(b -> b.putShort(42, (short) 53)), "other port");
        assertInstanceOf(CoordDecodeResult.NotCoordination.class, forged(b -> b.put(0, (byte) 0x50)), "version 5");
        assertInstanceOf(CoordDecodeResult.NotCoordination.class, forged(b -> b.limit(44)), "cut in the UDP header");
        assertInstanceOf(CoordDecodeResult.Malformed.class, forged(b -> b.limit(b.limit() - 1)), "payload length > packet");
        assertInstanceOf(CoordDecodeResult.Malformed.class, forged(b -> b.putShort(4, (short) 20)), "payload length < message");
        assertInstanceOf(CoordDecodeResult.Malformed.class, forged(b -> b.put(body, (byte) 'X')), "bad magic");
        assertInstanceOf(CoordDecodeResult.Malformed.class, forged(b -> b.put(body + 4, (byte) 3)), "unknown type");
        assertInstanceOf(CoordDecodeResult.Malformed.class, forged(b -> b.put(body + 4, (byte) 1)), "HELLO with a body");
        assertInstanceOf(CoordDecodeResult.Malformed.class, forged(b -> b.put(family, (byte) 5)), "endpoint family 5");
        assertInstanceOf(CoordDecodeResult.Malformed.class, forged(b -> b.putShort(family + 1, (short) 0)), "port 0");
        assertInstanceOf(CoordDecodeResult.Malformed.class, forged(b -> b.put(count, (byte) 65)), "65 prefixes");
        assertInstanceOf(CoordDecodeResult.Malformed.class, forged(b -> b.put(count, (byte) 3)), "3 prefixes, 2 there");
        assertInstanceOf(CoordDecodeResult.Malformed.class, forged(b -> b.put(count, (byte) 1)), "trailing bytes");
        assertInstanceOf(CoordDecodeResult.Malformed.class, forged(b -> b.put(count + 2, (byte) 129)), "a /129");
        assertInstanceOf(CoordDecodeResult.Malformed.class, forged(b -> b.put(count + 1, (byte) 7)), "prefix family 7");
    }

    @Test
    void randomCorruptionAndTruncationNeverThrowAndNeverMoveTheBuffer() throws Exception {
        ByteBuffer packet = v6Packet(V6_INTRO);
        Random r = new Random(8200);
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer m = ByteBuffer.allocate(packet.remaining()).put(packet.duplicate()).flip();
            for (int k = r.nextInt(4); k > 0; k--) {
                m.put(r.nextInt(m.remaining()), (byte) r.nextInt());
            }
            m.limit(r.nextInt(packet.remaining() + 1));
            int limit = m.limit();
            CoordDecodeResult res = CoordCodec.decode(m);
            assertTrue(res != null);
            assertEquals(0, m.position());
            assertEquals(limit, m.limit());
        }
    }
}
