package io.warren.gateway.encap.l2tpv3;

/** Every L2TPv3 data-message wire constant in one place (RFC 3931). */
public final class L2tpv3Wire {

    /** IP protocol number of L2TPv3 over IP (RFC 3931 §4.1.1). */
    public static final int IP_PROTOCOL = 115;
    /** UDP port of L2TP (RFC 3931 §4.1.2). */
    public static final int UDP_PORT = 1701;
    /** Session ID 0 over IP marks a control message (RFC 3931 §4.1.1). */
    public static final int CONTROL_SESSION_ID = 0;
    /** The T bit of the UDP header word: 1 = control message (RFC 3931 §4.1.2). */
    public static final int FLAG_T = 0x8000;
    /** Mask of the Ver field in the UDP header word. */
    public static final int VERSION_MASK = 0x000F;
    /** L2TP version 3. */
    public static final int VERSION_3 = 3;
    /** The UDP header word Linux sends on data messages: T=0, Ver=3, reserved zero. */
    public static final int UDP_DATA_FLAGS = VERSION_3;
    /** Length of the flags/version/reserved word that precedes the Session ID over UDP. */
    public static final int UDP_FLAGS_LENGTH = 4;
    /** Length of the Session ID. */
    public static final int SESSION_ID_LENGTH = 4;
    /** Length of the default L2-Specific Sublayer (RFC 3931 §4.6). */
    public static final int DEFAULT_SUBLAYER_LENGTH = 4;
    /** The S bit of the default L2-Specific Sublayer: Sequence Number valid (RFC 3931 §4.6). */
    public static final int SUBLAYER_S = 0x40000000;
    /** Sequence numbers of the default sublayer are 24 bits. */
    public static final int SEQUENCE_MASK = 0xFFFFFF;

    private L2tpv3Wire() {
    }
}
