package io.warren.gateway.dhcp;

/**
 * Every DHCPv4 wire constant in one place: the fixed BOOTP header of RFC 2131 §2 (Figure 1),
 * the magic cookie of RFC 2131 §3 / RFC 2132 §2, the option codes of RFC 2132, RFC 3046 (82),
 * RFC 3397 (119) and RFC 3442 (121), and the UDP ports of RFC 2131 §4.1.
 */
public final class DhcpWire {

    /** The server's UDP port (RFC 2131 §4.1). */
    public static final int SERVER_PORT = 67;
    /** The client's UDP port (RFC 2131 §4.1). */
    public static final int CLIENT_PORT = 68;

    /** op: BOOTREQUEST, client to server (RFC 2131 §2). */
    public static final int BOOTREQUEST = 1;
    /** op: BOOTREPLY, server to client. */
    public static final int BOOTREPLY = 2;
    /** htype of 10 Mb Ethernet, the hardware type of every Ethernet-like link (RFC 1700 ARP hardware types). */
    public static final int HTYPE_ETHERNET = 1;

    /** Length of the fixed header, op through file (RFC 2131 Figure 1). */
    public static final int FIXED_LENGTH = 236;
    /** The magic cookie 99.130.83.99 that starts the options field (RFC 2131 §3, RFC 2132 §2). */
    public static final int MAGIC_COOKIE = 0x63825363;
    /** Fixed header plus magic cookie: the shortest DHCP message. */
    public static final int MIN_LENGTH = FIXED_LENGTH + 4;
    /** Minimum size of a reply, padded as RFC 1542 §2.1 asks for BOOTP relay agents and old clients. */
    public static final int MIN_REPLY_LENGTH = 300;
    /**
     * The longest message the server accepts: dnsmasq's hard limit ({@code DHCP_PACKET_MAX}). RFC 2131
     * §2 sets only a floor (576 bytes, options field of at least 312 octets) and lets option 57 (RFC
     * 2132 §9.10) announce up to 65535; real requests fit one Ethernet frame (ISC dhcpd's whole
     * buffer is 1500), but a jumbo-frame link (9000) or a relay adding option 82 to a fragmented
     * request may exceed it, and 16 KiB still keeps a receive buffer small. The shell receives into
     * a buffer one byte longer, so a longer datagram (which the kernel truncates silently) is seen.
     */
    public static final int MAX_MESSAGE = 16384;
    /** Every client must accept 576-byte messages (RFC 2131 §2, "options" field of at least 312 octets). */
    public static final int DEFAULT_MAX_MESSAGE = 576;

    /** Offsets into the fixed header. */
    public static final int OFF_OP = 0;
    public static final int OFF_HTYPE = 1;
    public static final int OFF_HLEN = 2;
    public static final int OFF_HOPS = 3;
    public static final int OFF_XID = 4;
    public static final int OFF_SECS = 8;
    public static final int OFF_FLAGS = 10;
    public static final int OFF_CIADDR = 12;
    public static final int OFF_YIADDR = 16;
    public static final int OFF_SIADDR = 20;
    public static final int OFF_GIADDR = 24;
    public static final int OFF_CHADDR = 28;
    public static final int OFF_SNAME = 44;
    public static final int OFF_FILE = 108;
    public static final int OFF_OPTIONS = 240;

    public static final int CHADDR_LENGTH = 16;
    public static final int SNAME_LENGTH = 64;
    public static final int FILE_LENGTH = 128;

    /** The BROADCAST bit, the leftmost bit of flags (RFC 2131 §2, Figure 2). */
    public static final int FLAG_BROADCAST = 0x8000;

    // ---- option codes (RFC 2132 unless noted) ---------------------------------------------------
    public static final int OPT_PAD = 0;
    public static final int OPT_SUBNET_MASK = 1;
    public static final int OPT_ROUTER = 3;
    public static final int OPT_DNS = 6;
    public static final int OPT_HOST_NAME = 12;
    public static final int OPT_DOMAIN_NAME = 15;
    public static final int OPT_INTERFACE_MTU = 26;
    public static final int OPT_BROADCAST_ADDRESS = 28;
    public static final int OPT_NTP_SERVERS = 42;
    public static final int OPT_REQUESTED_ADDRESS = 50;
    public static final int OPT_LEASE_TIME = 51;
    public static final int OPT_OVERLOAD = 52;
    public static final int OPT_MESSAGE_TYPE = 53;
    public static final int OPT_SERVER_ID = 54;
    public static final int OPT_PARAMETER_REQUEST_LIST = 55;
    public static final int OPT_MESSAGE = 56;
    public static final int OPT_MAX_MESSAGE_SIZE = 57;
    public static final int OPT_RENEWAL_TIME = 58;
    public static final int OPT_REBINDING_TIME = 59;
    public static final int OPT_CLIENT_ID = 61;
    /** Client FQDN (RFC 4702 §2). */
    public static final int OPT_CLIENT_FQDN = 81;
    /** Relay Agent Information (RFC 3046 §2). */
    public static final int OPT_RELAY_AGENT_INFO = 82;
    /** Domain Search (RFC 3397 §2). */
    public static final int OPT_DOMAIN_SEARCH = 119;
    /** Classless Static Route (RFC 3442 §2). */
    public static final int OPT_CLASSLESS_ROUTES = 121;
    public static final int OPT_END = 255;

    /** Option overload values (RFC 2132 §9.3). */
    public static final int OVERLOAD_FILE = 1;
    public static final int OVERLOAD_SNAME = 2;
    public static final int OVERLOAD_BOTH = 3;

    private DhcpWire() {
    }
}
