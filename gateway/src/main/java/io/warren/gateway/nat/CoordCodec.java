package io.warren.gateway.nat;

import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.UapiKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds and parses coordination packets ({@link CoordWire}) over IPv4 or IPv6. Bad input never
 * throws: it is {@link CoordDecodeResult.Malformed}. Static functions; nothing is kept.
 */
public final class CoordCodec {
    private static final CoordDecodeResult NOT = new CoordDecodeResult.NotCoordination();
    private static final CoordDecodeResult MALFORMED = new CoordDecodeResult.Malformed();

    private CoordCodec() {
    }

    /**
     * Whether an inner packet is IPv4/UDP (not a fragment) or IPv6/UDP (no extension headers) to
     * {@link CoordWire#PORT} with TTL / hop limit {@link CoordWire#TTL}, i.e. built by the peer
     * itself rather than forwarded by it (RFC 5082; cheap; for the receive path).
     */
    public static boolean isCoordination(ByteBuffer ip) {
        return udpOffset(ip) >= 0;
    }

    /** Offset of the UDP header from the packet's position when it is for {@link CoordWire#PORT}, else -1. */
    private static int udpOffset(ByteBuffer ip) {
        int p = ip.position();
        if (ip.remaining() < CoordWire.IPV4_HEADER + CoordWire.UDP_HEADER) {
            return -1;
        }
        int version = (ip.get(p) & 0xff) >>> 4;
        int header;
        int protocol;
        int ttl;
        if (version == 4) {
            header = (ip.get(p) & 0x0f) * 4;
            protocol = ip.get(p + 9) & 0xff;
            ttl = ip.get(p + 8) & 0xff;
            // RFC 791 §3.1: only an unfragmented packet is ours (a later fragment holds no UDP header)
            if (header < CoordWire.IPV4_HEADER || (ip.getShort(p + 6) & 0x3fff) != 0) {
                return -1;
            }
        } else if (version == 6) {
            header = CoordWire.IPV6_HEADER;
            protocol = ip.get(p + 6) & 0xff; // next header (RFC 8200 §3)
            ttl = ip.get(p + 7) & 0xff; // hop limit
        } else {
            return -1;
        }
        if (protocol != CoordWire.PROTOCOL_UDP || ttl != CoordWire.TTL // RFC 5082: forwarded, not the peer's
                || ip.remaining() < header + CoordWire.UDP_HEADER
                || (ip.getShort(p + header + 2) & 0xffff) != CoordWire.PORT) {
            return -1;
        }
        return header;
    }

    /**
     * The IP packet carrying {@code m} from {@code source} to {@code destination} (tunnel
     * addresses of one family: IPv4 or IPv6).
     */
    public static ByteBuffer encode(CoordMessage m, InetAddress source, InetAddress destination) {
        byte[] src = source.getAddress();
        byte[] dst = destination.getAddress();
        if (src.length != dst.length) {
            throw new IllegalArgumentException("source and destination of different families");
        }
        ByteBuffer body = body(m);
        int udpLength = CoordWire.UDP_HEADER + body.remaining();
        boolean v4 = src.length == 4;
        int header = v4 ? CoordWire.IPV4_HEADER : CoordWire.IPV6_HEADER;
        ByteBuffer b = ByteBuffer.allocate(header + udpLength);
        if (v4) {
            b.put((byte) 0x45).put((byte) 0).putShort((short) (header + udpLength)).putInt(0) // id, flags, offset
                    .put((byte) CoordWire.TTL).put((byte) CoordWire.PROTOCOL_UDP).putShort((short) 0).put(src).put(dst);
            b.putShort(10, fold(sum(b, 0, CoordWire.IPV4_HEADER, 0)));
        } else {
            b.putInt(0x6000_0000).putShort((short) udpLength).put((byte) CoordWire.PROTOCOL_UDP).put((byte) CoordWire.TTL)
                    .put(src).put(dst);
        }
        b.putShort((short) CoordWire.PORT).putShort((short) CoordWire.PORT).putShort((short) udpLength)
                .putShort((short) 0).put(body);
        if (!v4) { // RFC 8200 §8.1: over IPv6 the UDP checksum is not optional
            int pseudo = sum(b, 8, 32, udpLength + CoordWire.PROTOCOL_UDP);
            short c = fold(sum(b, header, udpLength, pseudo));
            b.putShort(header + 6, c == 0 ? (short) 0xffff : c);
        }
        return b.flip();
    }

    private static ByteBuffer body(CoordMessage m) {
        ByteBuffer body = ByteBuffer.allocate(CoordWire.FIXED + 64 + 34 * CoordWire.MAX_PREFIXES);
        body.putInt(CoordWire.MAGIC);
        body.put((byte) (m instanceof CoordMessage.Hello ? CoordWire.TYPE_HELLO : CoordWire.TYPE_INTRODUCE));
        body.put((byte) m.mapping().wireValue()).put(new byte[2]).putLong(m.sequence());
        if (m instanceof CoordMessage.Introduce i) {
            body.put(i.peer().bytes());
            byte[] a = i.endpoint().getAddress().getAddress();
            body.put((byte) (a.length == 4 ? 4 : 6)).putShort((short) i.endpoint().getPort()).put(a);
            List<AllowedIp> prefixes = i.prefixes().subList(0, Math.min(i.prefixes().size(), CoordWire.MAX_PREFIXES));
            body.put((byte) prefixes.size());
            for (AllowedIp ip : prefixes) {
                body.put((byte) (ip.isIpv4() ? 4 : 6)).put((byte) ip.prefixLength()).put(ip.address());
            }
        }
        return body.flip();
    }

    /** RFC 1071 one's-complement sum of {@code length} bytes at {@code offset}, added to {@code sum}. */
    private static int sum(ByteBuffer b, int offset, int length, int sum) {
        int i = 0;
        for (; i + 1 < length; i += 2) {
            sum += b.getShort(offset + i) & 0xffff;
        }
        if (i < length) {
            sum += (b.get(offset + i) & 0xff) << 8;
        }
        return sum;
    }

    private static short fold(int sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (short) ~sum;
    }

    /** Parses an inner packet; position and limit are not changed. */
    public static CoordDecodeResult decode(ByteBuffer ip) {
        int header = udpOffset(ip);
        if (header < 0) {
            return NOT;
        }
        int p = ip.position();
        int total = (ip.get(p) & 0xff) >>> 4 == 4 ? ip.getShort(p + 2) & 0xffff
                : CoordWire.IPV6_HEADER + (ip.getShort(p + 4) & 0xffff);
        if (total > ip.remaining() || total < header + CoordWire.UDP_HEADER + CoordWire.FIXED
                || (ip.getShort(p + header + 4) & 0xffff) != total - header) { // RFC 768: UDP length
            return MALFORMED;
        }
        ByteBuffer b = ip.duplicate();
        b.limit(p + total).position(p + header + CoordWire.UDP_HEADER);
        if (b.getInt() != CoordWire.MAGIC) {
            return MALFORMED;
        }
        int type = b.get() & 0xff;
        MappingBehaviour mapping = MappingBehaviour.ofWire(b.get() & 0xff);
        b.position(b.position() + 2);
        long sequence = b.getLong();
        if (type == CoordWire.TYPE_HELLO) {
            return b.hasRemaining() ? MALFORMED : new CoordDecodeResult.Decoded(new CoordMessage.Hello(sequence, mapping));
        }
        if (type != CoordWire.TYPE_INTRODUCE || b.remaining() < CoordWire.KEY_LENGTH + 1) {
            return MALFORMED;
        }
        byte[] key = new byte[CoordWire.KEY_LENGTH];
        b.get(key);
        int family = b.get() & 0xff;
        int addressLength = family == 4 ? 4 : family == 6 ? 16 : -1;
        if (addressLength < 0 || b.remaining() < 2 + addressLength + 1) {
            return MALFORMED;
        }
        int port = b.getShort() & 0xffff;
        byte[] addressBytes = new byte[addressLength];
        b.get(addressBytes);
        InetAddress address = address(addressBytes);
        int count = b.get() & 0xff;
        if (count > CoordWire.MAX_PREFIXES) {
            return MALFORMED;
        }
        List<AllowedIp> prefixes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (b.remaining() < 2) {
                return MALFORMED;
            }
            int prefixFamily = b.get() & 0xff;
            int length = b.get() & 0xff;
            int bytes = prefixFamily == 4 ? 4 : prefixFamily == 6 ? 16 : -1;
            if (bytes < 0 || length > bytes * 8 || b.remaining() < bytes) {
                return MALFORMED;
            }
            byte[] a = new byte[bytes];
            b.get(a);
            prefixes.add(AllowedIp.of(a, length));
        }
        if (b.hasRemaining() || port == 0 || !unicast(address)) {
            return MALFORMED;
        }
        return new CoordDecodeResult.Decoded(new CoordMessage.Introduce(sequence, UapiKey.of(key),
                new InetSocketAddress(address, port), prefixes, mapping));
    }

    /**
     * Whether an introduced endpoint can be a NAT mapping the hub saw: not the wildcard, multicast
     * (RFC 1112, RFC 4291 §2.7) or the limited broadcast address (RFC 919), where a spoke's probes
     * and keepalives would go to a whole segment or nowhere.
     */
    private static boolean unicast(InetAddress a) {
        byte[] b = a.getAddress();
        boolean broadcast = b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == (byte) 0xff;
        return !a.isAnyLocalAddress() && !a.isMulticastAddress() && !broadcast;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 and 16 byte addresses are always valid", e);
        }
    }
}
