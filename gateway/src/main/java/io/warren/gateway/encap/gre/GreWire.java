package io.warren.gateway.encap.gre;

import io.warren.gateway.packet.IpProtocols;

/** Every GRE wire constant in one place (RFC 2784, RFC 2890, RFC 8086). */
public final class GreWire {

    /** Flags, version and protocol type: the always-present 4 bytes. */
    public static final int BASE_LENGTH = 4;
    /** Largest header: checksum + key + sequence. */
    public static final int MAX_LENGTH = 16;

    /** Bit 0: Checksum Present (RFC 2784 §2.2). */
    public static final int FLAG_C = 0x8000;
    /** Bit 2: Key Present (RFC 2890 §2). */
    public static final int FLAG_K = 0x2000;
    /** Bit 3: Sequence Number Present (RFC 2890 §2). */
    public static final int FLAG_S = 0x1000;
    /**
     * Reserved0 bits 1, 4 and 5: RFC 2784 §2.3 says a receiver MUST discard a packet with any of
     * bits 1-5 non-zero unless it implements RFC 1701; bits 2 and 3 are K and S since RFC 2890,
     * so bit 1 (RFC 1701 Routing Present), bit 4 (Strict Source Route) and bit 5 (the top bit of
     * RFC 1701 Recursion Control) remain.
     */
    public static final int RESERVED0_MUST_BE_ZERO = 0x4000 | 0x0800 | 0x0400;
    /**
     * Reserved0 bits 6-12: "MUST be sent as zero and MUST be ignored on receipt" (RFC 2784 §2.3).
     */
    public static final int RESERVED0_IGNORED = 0x03F8;
    /** Bits 13-15: Version, which MUST be 0 (RFC 2784 §2.3.1). */
    public static final int VERSION_MASK = 0x0007;

    /** Protocol type IPv4. */
    public static final int PROTO_IPV4 = IpProtocols.ETHERTYPE_IPV4;
    /** Protocol type IPv6. */
    public static final int PROTO_IPV6 = IpProtocols.ETHERTYPE_IPV6;
    /** Protocol type Transparent Ethernet Bridging (gretap). */
    public static final int PROTO_TEB = IpProtocols.ETHERTYPE_TEB;

    private GreWire() {
    }

    /** True for the payload types this gateway forwards. */
    public static boolean isSupportedProtocol(int protocolType) {
        return protocolType == PROTO_IPV4 || protocolType == PROTO_IPV6 || protocolType == PROTO_TEB;
    }
}
