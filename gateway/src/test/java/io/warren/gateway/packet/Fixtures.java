package io.warren.gateway.packet;

/**
 * Hand-made packets with a non-zero value in every field, checksums computed independently of
 * the code under test (a short Python script over the RFC layouts).
 */
public final class Fixtures {

    /**
     * IPv4 (TOS 0x2c, ID 0x1c46, DF, TTL 64, 192.0.2.1 to 198.51.100.2) carrying a TCP SYN-ACK
     * (ports 0xa1b2/80, seq 0x01020304, ack 0x05060708, window 0xfaf0, urgent 1, MSS 1460).
     */
    public static final String V4_SYN = "452c002c1c46400040063223c0000201c6336402"
            + "a1b2005001020304050607086012faf0fed60001020405b4";
    /** {@link #V4_SYN} with MSS 1360 (0x0550). */
    public static final String V4_SYN_CLAMPED = "452c002c1c46400040063223c0000201c6336402"
            + "a1b2005001020304050607086012faf0ff3a000102040550";
    /** {@link #V4_SYN} with options NOP, MSS 1460, NOP, NOP, NOP: the MSS value at an odd offset. */
    public static final String V4_SYN_ODD = "452c00301c4640004006321fc0000201c6336402"
            + "a1b2005001020304050607087012faf03c81000101020405b4010101";
    /** The same SYN-ACK over IPv6 (TC 0x2c, flow label 0xbeef1, 2001:db8:0:1::1 to 2001:db8:0:2::2). */
    public static final String V6_SYN = "62cbeef10018064020010db800000001000000000000000120010db800000002"
            + "0000000000000002a1b2005001020304050607086012faf08f960001020405b4";
    /** {@link #V6_SYN} with MSS 1360. */
    public static final String V6_SYN_CLAMPED = "62cbeef10018064020010db800000001000000000000000120010db800000002"
            + "0000000000000002a1b2005001020304050607086012faf08ffa000102040550";

    private Fixtures() {
    }
}
