package io.warren.gateway.nat;

/**
 * Wire constants of Warren's hub coordination messages (no RFC: a Warren-only protocol). They
 * travel INSIDE the WireGuard tunnel as IPv4/UDP packets to {@link #PORT}, so the WireGuard session
 * authenticates the sender (the receiving interface hands them over with the sending peer's public
 * key, before they would reach the TUN), and stock WireGuard peers never see them.
 *
 * <pre>
 * IPv4 header (20, RFC 791) | UDP header (8, RFC 768, checksum 0) |
 * magic "WRN1" (4) | type (1) | reserved (3) | sequence (8, big-endian) | body
 *   HELLO     (spoke to hub): no body ("I am a Warren gateway and can punch holes")
 *   INTRODUCE (hub to spoke): public key (32) | endpoint: family (1, 4 or 6) port (2) address (4|16) |
 *                             prefix count (1) | prefixes: family (1) length (1) address (4|16)
 * </pre>
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
    public static final int UDP_HEADER = 8;
    /** Magic, type, reserved, sequence. */
    public static final int FIXED = 16;
    public static final int KEY_LENGTH = 32;
    /** At most this many prefixes per introduced peer. */
    public static final int MAX_PREFIXES = 64;
    public static final int PROTOCOL_UDP = 17;

    private CoordWire() {
    }
}
