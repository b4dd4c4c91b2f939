package io.warren.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EchoResponderTest {
    private static final byte[] MAC = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    private static final byte[] IP = {10, 9, 0, 2};

    @Test
    void rfc1071Example() {
        ByteBuffer b = ByteBuffer.wrap(HexFormat.of().parseHex("0001f203f4f5f6f7"));
        assertEquals(0x220d, Checksums.internet(b, 0, 8, 0));
    }

    /** IPv4 ICMP echo request 10.9.0.1 -> 10.9.0.2, id 0x1234, seq 7, 4 payload bytes, all fields set. */
    static ByteBuffer echoRequestV4() {
        ByteBuffer p = ByteBuffer.allocate(32);
        p.put(HexFormat.of().parseHex("4500002000014000400100000a0900010a090002"));
        p.put(HexFormat.of().parseHex("080000001234000761626364"));
        p.putShort(10, (short) Checksums.internet(p, 0, 20, 0));
        p.putShort(22, (short) Checksums.internet(p, 20, 12, 0));
        return p.flip();
    }

    @Test
    void ipv4EchoBecomesReplyWithValidChecksums() {
        ByteBuffer p = echoRequestV4();
        assertTrue(EchoResponder.answerIp(p));
        assertEquals(0, p.get(20), "type echo reply");
        assertEquals(0x0a090002, p.getInt(12), "source = old destination");
        assertEquals(0x0a090001, p.getInt(16));
        assertEquals(0, Checksums.internet(p, 0, 20, 0));
        assertEquals(0, Checksums.internet(p, 20, 12, 0));
        assertEquals(0x1234, p.getShort(24));
    }

    @Test
    void ipv6EchoBecomesReplyWithPseudoHeaderChecksum() {
        ByteBuffer p = ByteBuffer.allocate(48);
        p.put(HexFormat.of().parseHex("6000000000083a40" + "fd000009000000000000000000000001"
                + "fd000009000000000000000000000002" + "8000000043210001"));
        p.putShort(42, (short) Checksums.icmpv6(p, 0, 8));
        p.flip();
        assertTrue(EchoResponder.answerIp(p));
        assertEquals((byte) 129, p.get(40));
        assertEquals(2, p.get(23));
        assertEquals(1, p.get(39));
        assertEquals(0, Checksums.icmpv6(p, 0, 8));
    }

    @Test
    void arpRequestForUsIsAnswered() {
        ByteBuffer f = ByteBuffer.allocate(42);
        f.put(HexFormat.of().parseHex("ffffffffffff" + "0a0b0c0d0e0f" + "0806"
                + "0001080006040001" + "0a0b0c0d0e0f" + "0a090001" + "000000000000" + "0a090002"));
        f.flip();
        assertTrue(EchoResponder.answerEthernet(f, MAC, IP));
        assertEquals(2, f.getShort(20), "ARP reply");
        assertEquals("0a0b0c0d0e0f" + "021122334455", HexFormat.of().formatHex(f.array(), 0, 12));
        assertEquals("021122334455" + "0a090002" + "0a0b0c0d0e0f" + "0a090001",
                HexFormat.of().formatHex(f.array(), 22, 42));
    }

    @Test
    void truncatedAndForeignPacketsAreNotAnswered() {
        ByteBuffer full = echoRequestV4();
        for (int len = 0; len < full.limit(); len++) {
            ByteBuffer cut = ByteBuffer.wrap(full.array().clone(), 0, len);
            assertFalse(EchoResponder.answerIp(cut), "length " + len);
        }
        ByteBuffer udp = echoRequestV4();
        udp.put(9, (byte) 17);
        assertFalse(EchoResponder.answerIp(udp));
        ByteBuffer arpForOther = ByteBuffer.wrap(HexFormat.of().parseHex("ffffffffffff0a0b0c0d0e0f0806"
                + "00010800060400010a0b0c0d0e0f0a090001000000000000" + "0a090063"));
        assertFalse(EchoResponder.answerEthernet(arpForOther, MAC, IP));
    }
}
