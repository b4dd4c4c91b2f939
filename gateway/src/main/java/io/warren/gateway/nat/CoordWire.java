package io.warren.gateway.nat;

/**
 * Wire constants of Warren's hub coordination messages (no RFC: a Warren-only protocol). They
 * travel INSIDE the WireGuard tunnel as IPv4/UDP or IPv6/UDP packets to {@link #PORT} (from and to
 * the sender's tunnel address, IPv4 when it has one), so the WireGuard session
 * authenticates the sender (the receiving interface hands them over with the sending peer's public
 * key, before they would reach the TUN), and stock WireGuard peers never see them.
 *
 * <p>A session authenticates the peer, not who built the packet: a peer also forwards packets
 * from its LAN or the Internet (a hub forwards to its spokes). So, as GTSM (RFC 5082 §3), Warren
 * sends coordination packets with TTL / hop limit {@link #TTL} and a receiver takes only those:
 * a forwarded packet has been decremented by the peer's kernel (at most 254) and stays ordinary
 * traffic for the TUN. A local process on the peer itself can still send with 255.
 *
 * <pre>
 * IPv4 header (20, RFC 791; no options) or IPv6 header (40, RFC 8200 §3; UDP as next header) |
 * UDP header (8, RFC 768; checksum 0 over IPv4, computed over IPv6 as RFC 8200 §8.1 asks) |
 * magic "WRN1" (4) | type (1) | mapping (1) | reserved (2) | sequence (8, big-endian) | body
 *   HELLO     (spoke to hub): no body ("I am a Warren gateway and can punch holes"); mapping is
 *             the sender's NAT mapping behaviour as its STUN client judged it
 *   INTRODUCE (hub to spoke): public key (32) | endpoint: family (1, 4 or 6) port (2) address (4|16) |
 *                             prefix count (1) | prefixes: family (1) length (1) address (4|16);
 *             mapping is the introduced spoke's, from its latest HELLO
 * </pre>
 *
 * Mapping ({@link MappingBehaviour}, RFC 4787 §4.1): 0 unknown, 1 endpoint-independent, 2
 * endpoint-dependent; other values read as unknown (the byte was reserved and zero before).
 *
 * The sequence numbers of one sender only increase (they start at its wall clock in microseconds,
 * so they keep increasing across restarts); a receiver ignores any not above the last it accepted.
 */
public final class CoordWire {
    /** UDP destination port of coordination packets inside the tunnel. */
    public static final int PORT = 51821;
    /** "WRN1". */
    public static final int MAGIC = 0x57524e31;
    public static final int TYPE_HELLO = 1;
    public static final int TYPE_INTRODUCE = 2;
    public static final int IPV4_HEADER = 20;
    /** RFC 8200 §3. */
    public static final int IPV6_HEADER = 40;
    public static final int UDP_HEADER = 8;
    /** Offset of the mapping byte in the message (after magic and type). */
    public static final int MAPPING_OFFSET = 5;
    public static final int MAPPING_UNKNOWN = 0;
    public static final int MAPPING_ENDPOINT_INDEPENDENT = 1;
    public static final int MAPPING_ENDPOINT_DEPENDENT = 2;
    /** Magic, type, mapping, reserved, sequence. */
    public static final int FIXED = 16;
    public static final int KEY_LENGTH = 32;
    /** At most this many prefixes per introduced peer. */
    public static final int MAX_PREFIXES = 64;
    public static final int PROTOCOL_UDP = 17;
    /** RFC 5082 §3: TTL (IPv4) and hop limit (IPv6) of every coordination packet; anything lower was forwarded. */
    public static final int TTL = 255;

    private CoordWire() {
    }
}
