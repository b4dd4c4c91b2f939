package io.warren.gateway.nat;

import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.UapiKey;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds and parses coordination packets ({@link CoordWire}). Bad input never throws: it is
 * {@link CoordDecodeResult.Malformed}. Static functions; nothing is kept.
 */
public final class CoordCodec {
    private static final CoordDecodeResult NOT = new CoordDecodeResult.NotCoordination();
    private static final CoordDecodeResult MALFORMED = new CoordDecodeResult.Malformed();

    private CoordCodec() {
    }

    /** Whether an inner packet is IPv4/UDP to {@link CoordWire#PORT} (cheap; for the receive path). */
    public static boolean isCoordination(ByteBuffer ip) {
        int p = ip.position();
        if (ip.remaining() < CoordWire.IPV4_HEADER + CoordWire.UDP_HEADER || (ip.get(p) & 0xff) >>> 4 != 4) {
            return false;
        }
        int ihl = (ip.get(p) & 0x0f) * 4;
        return (ip.get(p + 9) & 0xff) == CoordWire.PROTOCOL_UDP && ihl >= CoordWire.IPV4_HEADER
                && ip.remaining() >= ihl + CoordWire.UDP_HEADER
                && (ip.getShort(p + ihl + 2) & 0xffff) == CoordWire.PORT;
    }

    /** The IPv4 packet carrying {@code m} from {@code source} to {@code destination} (tunnel addresses). */
    public static ByteBuffer encode(CoordMessage m, Inet4Address source, Inet4Address destination) {
        ByteBuffer body = ByteBuffer.allocate(CoordWire.FIXED + 64 + 34 * CoordWire.MAX_PREFIXES);
        body.putInt(CoordWire.MAGIC);
        body.put((byte) (m instanceof CoordMessage.Hello ? CoordWire.TYPE_HELLO : CoordWire.TYPE_INTRODUCE));
        body.put(new byte[3]).putLong(m.sequence());
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
        body.flip();
        int udpLength = CoordWire.UDP_HEADER + body.remaining();
        int total = CoordWire.IPV4_HEADER + udpLength;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte) 0x45).put((byte) 0).putShort((short) total).putInt(0) // id, flags, fragment offset
                .put((byte) 64).put((byte) CoordWire.PROTOCOL_UDP).putShort((short) 0)
                .put(source.getAddress()).put(destination.getAddress());
        b.putShort(10, ipv4Checksum(b));
        b.putShort((short) CoordWire.PORT).putShort((short) CoordWire.PORT).putShort((short) udpLength)
                .putShort((short) 0) // RFC 768: no checksum (the AEAD protects the packet)
                .put(body);
        return b.flip();
    }

    private static short ipv4Checksum(ByteBuffer b) {
        int sum = 0;
        for (int i = 0; i < CoordWire.IPV4_HEADER; i += 2) {
            sum += b.getShort(i) & 0xffff;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (short) ~sum;
    }

    /** Parses an inner packet; position and limit are not changed. */
    public static CoordDecodeResult decode(ByteBuffer ip) {
        if (!isCoordination(ip)) {
            return NOT;
        }
        int p = ip.position();
        int ihl = (ip.get(p) & 0x0f) * 4;
        int total = ip.getShort(p + 2) & 0xffff;
        if (total > ip.remaining() || total < ihl + CoordWire.UDP_HEADER + CoordWire.FIXED) {
            return MALFORMED;
        }
        ByteBuffer b = ip.duplicate();
        b.limit(p + total).position(p + ihl + CoordWire.UDP_HEADER);
        if (b.getInt() != CoordWire.MAGIC) {
            return MALFORMED;
        }
        int type = b.get() & 0xff;
        b.position(b.position() + 3);
        long sequence = b.getLong();
        if (type == CoordWire.TYPE_HELLO) {
            return b.hasRemaining() ? MALFORMED : new CoordDecodeResult.Decoded(new CoordMessage.Hello(sequence));
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
        if (b.hasRemaining() || port == 0) {
            return MALFORMED;
        }
        return new CoordDecodeResult.Decoded(new CoordMessage.Introduce(sequence, UapiKey.of(key),
                new InetSocketAddress(address, port), prefixes));
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 and 16 byte addresses are always valid", e);
        }
    }
}
