package io.warren.tun.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import io.warren.tun.link.NetlinkReply.Reason;
import org.junit.jupiter.api.Test;

/** Decoding of kernel replies, including truncated, oversized and forged input (never throws). */
class NetlinkReplyParserTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** ACK with NLM_F_CAPPED: nlmsgerr error 0 + echoed request header only. */
    private static final String ACK = "24000000 0200 0001 0d0c0b0a 39300000" + "00000000"
            + "30000000 1300 0500 0d0c0b0a 00000000";
    /** EINVAL with NLM_F_CAPPED|NLM_F_ACK_TLVS and NLMSGERR_ATTR_MSG "MTU too big". */
    private static final String EINVAL_EXTACK = "34000000 0200 0003 0d0c0b0a 39300000" + "eaffffff"
            + "30000000 1300 0500 0d0c0b0a 00000000"
            + "1000 0100 4d545520746f6f2062696700";
    /** RTM_NEWLINK: ifinfomsg (ARPHRD 0xfffe, index 7, flags 0x1043, change 0xffffffff), IFNAME, TXQLEN, MTU. */
    private static final String NEWLINK = "38000000 1000 0200 0d0c0b0a 39300000"
            + "00 00 feff 07000000 43100000 ffffffff"
            + "0800 0300 77743000"
            + "0800 0d00 f4010000"
            + "0800 0400 8c050000";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    private static List<NetlinkReply> parse(byte[] b) {
        return NetlinkReplyParser.parse(b, b.length, LE);
    }

    private static NetlinkReply only(String h) {
        List<NetlinkReply> r = parse(hex(h));
        assertEquals(1, r.size(), r.toString());
        return r.get(0);
    }

    @Test
    void ackOfMatchingSeq() {
        assertEquals(new NetlinkReply.Ack(0x0a0b0c0d), only(ACK));
    }

    @Test
    void errorCarriesErrnoAndExtendedAckText() {
        assertEquals(new NetlinkReply.Failure(0x0a0b0c0d, 22, "MTU too big"), only(EINVAL_EXTACK));
    }

    @Test
    void uncappedErrorSkipsTheEchoedPayload() {
        // flags ACK_TLVS only: the whole 24-byte request (header + 8-byte payload) is echoed before the TLVs
        String h = "38000000 0200 0002 01000000 00000000" + "edffffff"
                + "18000000 1400 0506 01000000 00000000 0a180000 07000000"
                + "0b00 0100 6e6f206465760000";                           // "no dev\0", len 11 padded to 12
        assertEquals(new NetlinkReply.Failure(1, 19, "no dev"), only(h));
    }

    @Test
    void errorWithoutTlvsHasEmptyExtAck() {
        String h = "24000000 0200 0001 05000000 00000000" + "efffffff" + "30000000 1300 0500 05000000 00000000";
        assertEquals(new NetlinkReply.Failure(5, 17, ""), only(h));
    }

    @Test
    void newlinkGivesIndexFlagsNameMtuAndSkipsOtherAttributes() {
        assertEquals(new NetlinkReply.Link(0x0a0b0c0d, 7, 0x1043, "wt0", 1420), only(NEWLINK));
    }

    @Test
    void newlinkReadsIpv4ForwardingFromAfSpecSkippingOtherFamilies() {
        String base = "48000000 1000 0000 0d0c0b0a 00000000" + "00 00 0000 07000000 43100000 00000000"
                + "0800 0300 77743000";
        String afInet6 = "0800 0a00 01000000";                                  // AF_INET6 block, skipped
        String conf = "2000 1a00" + afInet6 + "1400 0200 1000 0100 %s 00000000 00000000"; // conf[0] = forwarding
        assertEquals(new NetlinkReply.Link(0x0a0b0c0d, 7, 0x1043, "wt0", -1, 1),
                only(base + String.format(conf, "01000000")));
        assertEquals(0, ((NetlinkReply.Link) only(base + String.format(conf, "00000000"))).ipv4Forwarding());
        assertEquals(-1, ((NetlinkReply.Link) only(NEWLINK)).ipv4Forwarding(), "no AF_SPEC: unknown");
        String forged = "48000000 1000 0000 0d0c0b0a 00000000" + "00 00 0000 07000000 43100000 00000000"
                + "0800 0300 77743000" + "2000 1a00" + "ff00 0a00 01000000" + "1400 0200 1000 0100 01000000 00000000 00000000";
        assertEquals(new NetlinkReply.Malformed(Reason.BAD_ATTRIBUTE), only(forged), "nested length beyond AF_SPEC");
    }

    @Test
    void severalMessagesInOneDatagram() {
        List<NetlinkReply> r = parse(hex(NEWLINK + ACK + "10000000 0300 0200 0d0c0b0a 39300000"
                + "10000000 0100 0000 02000000 00000000"));
        assertEquals(List.of(new NetlinkReply.Link(0x0a0b0c0d, 7, 0x1043, "wt0", 1420), new NetlinkReply.Ack(0x0a0b0c0d),
                new NetlinkReply.Done(0x0a0b0c0d), new NetlinkReply.Ignored(2, 1)), r);
    }

    @Test
    void malformedInputIsAReasonNotAnException() {
        assertEquals(new NetlinkReply.Malformed(Reason.TRUNCATED_HEADER), only("24000000 0200 0001 0d0c0b0a"));
        assertEquals(new NetlinkReply.Malformed(Reason.BAD_MESSAGE_LENGTH),
                only("ff000000 0200 0001 0d0c0b0a 39300000 00000000"));          // forged: longer than datagram
        assertEquals(new NetlinkReply.Malformed(Reason.BAD_MESSAGE_LENGTH),
                only("0f000000 0200 0001 0d0c0b0a 39300000"));                   // below the header size
        assertEquals(new NetlinkReply.Malformed(Reason.BAD_MESSAGE_LENGTH),
                only("ffffffff 0200 0001 0d0c0b0a 39300000"));                   // u32 overflow
        assertEquals(new NetlinkReply.Malformed(Reason.TRUNCATED_ERROR),
                only("14000000 0200 0001 0d0c0b0a 39300000 eaffffff"));          // nlmsgerr cut after error
        assertEquals(new NetlinkReply.Malformed(Reason.BAD_ERROR_CODE),
                only("24000000 0200 0001 0d0c0b0a 39300000 16000000 30000000 1300 0500 0d0c0b0a 00000000"));
        assertEquals(new NetlinkReply.Malformed(Reason.TRUNCATED_IFINFOMSG),
                only("18000000 1000 0200 0d0c0b0a 39300000 00000000 07000000"));
        assertEquals(new NetlinkReply.Malformed(Reason.BAD_ATTRIBUTE),
                only("24000000 1000 0200 01000000 00000000 00000000 07000000 01000000 00000000 0200 0300"));
        assertEquals(new NetlinkReply.Malformed(Reason.BAD_ATTRIBUTE),
                only("28000000 1000 0200 01000000 00000000 00000000 07000000 01000000 00000000 0900 0400 8c050000"));
        assertEquals(new NetlinkReply.Malformed(Reason.BAD_ATTRIBUTE),           // IFLA_MTU of 2 bytes
                only("28000000 1000 0200 01000000 00000000 00000000 07000000 01000000 00000000 0600 0400 8c050000"));
        assertEquals(new NetlinkReply.Malformed(Reason.OVERRUN), only("10000000 0400 0000 01000000 00000000"));
        assertEquals(List.of(new NetlinkReply.Malformed(Reason.BAD_MESSAGE_LENGTH)),
                NetlinkReplyParser.parse(new byte[4], 8, LE));
    }

    @Test
    void malformedEntryEndsTheListAfterGoodMessages() {
        List<NetlinkReply> r = parse(hex(ACK + "0c000000"));
        assertEquals(List.of(new NetlinkReply.Ack(0x0a0b0c0d), new NetlinkReply.Malformed(Reason.TRUNCATED_HEADER)), r);
    }

    @Test
    void forgedExtAckLengthsYieldNoTextButKeepTheErrno() {
        byte[] b = hex(EINVAL_EXTACK);
        b[b.length - 16] = (byte) 0x40; // rta_len beyond the message
        assertEquals(new NetlinkReply.Failure(0x0a0b0c0d, 22, ""), parse(b).get(0));
        byte[] c = hex(EINVAL_EXTACK);
        c[7] = 0x02; // not capped: echoed payload length 0x30 runs past the end
        assertEquals(new NetlinkReply.Failure(0x0a0b0c0d, 22, ""), parse(c).get(0));
    }

    @Test
    void everyTruncationAndRandomMutationParsesWithoutThrowing() {
        byte[] good = hex(NEWLINK + EINVAL_EXTACK + ACK);
        for (int len = 0; len <= good.length; len++) {
            List<NetlinkReply> r = NetlinkReplyParser.parse(good, len, LE);
            if (len < good.length) {
                assertTrue(r.isEmpty() || r.size() <= 3, r.toString());
            }
        }
        Random rnd = new Random(0x5eed);
        for (int i = 0; i < 20_000; i++) {
            byte[] m = Arrays.copyOf(good, good.length);
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
            }
            List<NetlinkReply> r = NetlinkReplyParser.parse(m, rnd.nextInt(m.length + 1), LE);
            for (int j = 0; j < r.size() - 1; j++) {
                assertTrue(!(r.get(j) instanceof NetlinkReply.Malformed), "Malformed only last: " + r);
            }
        }
    }
}
