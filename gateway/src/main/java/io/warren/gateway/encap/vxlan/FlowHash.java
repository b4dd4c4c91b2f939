package io.warren.gateway.encap.vxlan;

import io.netty.buffer.ByteBuf;
import io.warren.gateway.packet.IpProtocols;

/**
 * Hash of the inner flow, used as the outer UDP source port so that ECMP in the underlay spreads
 * tunnels by inner flow while keeping each flow on one path (RFC 7348 §5 "Source Port": "it is
 * recommended that the UDP source port number be calculated using a hash of fields from the inner
 * packet ... within the dynamic/private port range 49152-65535"; RFC 8086 gives the same rule for
 * GRE-in-UDP).
 *
 * <p>Fields hashed, each only when fully present: destination and source MAC and the EtherType
 * (after up to two 802.1Q/802.1ad tags); for IPv4 and IPv6 the source and destination address and
 * the protocol; for TCP, UDP and SCTP the two ports, except in IPv4 fragments (so that all
 * fragments of a datagram hash alike). Malformed or short input still hashes, never throws.
 *
 * <p>The seed is an input (chosen at random once per gateway) so that remote parties cannot
 * predict the mapping. Immutable and thread-safe.
 */
public final class FlowHash {

    /** Lowest source port: start of the dynamic/private range. */
    public static final int PORT_MIN = 49152;
    /** Highest source port. */
    public static final int PORT_MAX = 65535;

    private static final int ETHERNET_HEADER = 14;
    private static final int MAX_VLAN_TAGS = 2;

    private final int seed;

    /** @param seed random per-gateway value */
    public FlowHash(int seed) {
        this.seed = seed;
    }

    /** Maps a hash onto {@link #PORT_MIN}..{@link #PORT_MAX} (multiply-shift, no modulo bias). */
    public static int sourcePort(int hash) {
        long range = PORT_MAX - PORT_MIN + 1L;
        return PORT_MIN + (int) (((hash & 0xFFFFFFFFL) * range) >>> 32);
    }

    /** Hashes the Ethernet frame at the readerIndex of {@code frame}; indices are unchanged. */
    public int hashEthernet(ByteBuf frame) {
        int start = frame.readerIndex();
        int end = frame.writerIndex();
        int h = seed;
        if (end - start < ETHERNET_HEADER) {
            return finish(h, end - start);
        }
        h = mix(h, frame.getInt(start));
        h = mix(h, (frame.getUnsignedShort(start + 4) << 16) | frame.getUnsignedShort(start + 10));
        h = mix(h, frame.getInt(start + 6));
        int at = start + 12;
        int etherType = frame.getUnsignedShort(at);
        for (int tags = 0; tags < MAX_VLAN_TAGS && isVlan(etherType) && end - at >= 6; tags++) {
            h = mix(h, frame.getUnsignedShort(at + 2) & 0x0FFF);
            at += 4;
            etherType = frame.getUnsignedShort(at);
        }
        h = mix(h, etherType);
        return finish(hashL3(frame, at + 2, end, etherType, h), 0);
    }

    /** Hashes an IP packet (no Ethernet header) at the readerIndex, e.g. for GRE-in-UDP. */
    public int hashIp(ByteBuf packet) {
        int start = packet.readerIndex();
        int end = packet.writerIndex();
        if (end - start < 1) {
            return finish(seed, 0);
        }
        int version = packet.getUnsignedByte(start) >>> 4;
        int etherType = version == 4 ? IpProtocols.ETHERTYPE_IPV4
                : version == 6 ? IpProtocols.ETHERTYPE_IPV6 : 0;
        return finish(hashL3(packet, start, end, etherType, seed), 0);
    }

    private static boolean isVlan(int etherType) {
        return etherType == IpProtocols.ETHERTYPE_VLAN || etherType == IpProtocols.ETHERTYPE_QINQ;
    }

    private static int hashL3(ByteBuf buf, int ip, int end, int etherType, int hash) {
        int h = hash;
        if (etherType == IpProtocols.ETHERTYPE_IPV4 && end - ip >= 20) {
            int ihl = (buf.getUnsignedByte(ip) & 0x0F) * 4;
            int protocol = buf.getUnsignedByte(ip + 9);
            h = mix(h, buf.getInt(ip + 12));
            h = mix(h, buf.getInt(ip + 16));
            h = mix(h, protocol);
            boolean fragment = (buf.getUnsignedShort(ip + 6) & 0x3FFF) != 0;
            if (!fragment && ihl >= 20) {
                h = hashPorts(buf, ip + ihl, end, protocol, h);
            }
        } else if (etherType == IpProtocols.ETHERTYPE_IPV6 && end - ip >= 40) {
            for (int i = 8; i < 40; i += 4) {
                h = mix(h, buf.getInt(ip + i));
            }
            int next = buf.getUnsignedByte(ip + 6);
            h = mix(h, next);
            h = hashPorts(buf, ip + 40, end, next, h);
        }
        return h;
    }

    private static int hashPorts(ByteBuf buf, int l4, int end, int protocol, int hash) {
        boolean ported = protocol == IpProtocols.TCP || protocol == IpProtocols.UDP
                || protocol == IpProtocols.SCTP;
        if (ported && end - l4 >= 4) {
            return mix(hash, buf.getInt(l4));
        }
        return hash;
    }

    /** One MurmurHash3 x86_32 block step. */
    private static int mix(int hash, int value) {
        int k = value * 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15) * 0x1b873593;
        int h = hash ^ k;
        return Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
    }

    /** MurmurHash3 finalisation (fmix32). */
    private static int finish(int hash, int length) {
        int h = hash ^ length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
