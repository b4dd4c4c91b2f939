package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class QueryParserTest {

    private static final byte[] GOOD = DnsFixtures.query(0xBEEF, "Www.Example.TEST", Type.AAAA, 4096, true);

    private static DnsDropReason dropped(byte[] wire) {
        return assertInstanceOf(QueryParseResult.Dropped.class, QueryParser.parse(wire)).reason();
    }

    private static Message errorReply(byte[] wire, DnsDropReason reason, int rcode) {
        QueryParseResult.ErrorReply e = assertInstanceOf(QueryParseResult.ErrorReply.class, QueryParser.parse(wire));
        assertEquals(reason, e.reason());
        Message m = DnsFixtures.parse(e.wire());
        assertEquals(DnsWire.u16(wire, 0), m.getHeader().getID(), "id echoed");
        assertTrue(m.getHeader().getFlag(Flags.QR));
        assertEquals(rcode, m.getRcode());
        return m;
    }

    @Test
    void validQueryKeepsEveryField() {
        ClientQuery q = assertInstanceOf(QueryParseResult.Parsed.class, QueryParser.parse(GOOD)).query();
        assertEquals(0xBEEF, q.id());
        assertTrue(q.recursionDesired());
        assertTrue(q.checkingDisabled());
        assertEquals("Www.Example.TEST.", q.name().toString());
        assertEquals(Type.AAAA, q.type());
        assertEquals(DClass.IN, q.dclass());
        assertTrue(q.edns());
        assertTrue(q.dnssecOk());
        assertEquals(1232, q.udpLimit(), "4096 advertised, clamped to our 1232");
        assertEquals(65535, q.replyLimit(Transport.TCP));
        assertEquals(Arrays.toString(Arrays.copyOfRange(GOOD, 12, 12 + q.questionWire().length)),
                Arrays.toString(q.questionWire()), "question bytes as sent");
    }

    @Test
    void udpLimitIs512WithoutEdnsAndNeverBelow512() {
        ClientQuery plain = ((QueryParseResult.Parsed) QueryParser.parse(
                DnsFixtures.query(7, "a.test", Type.A, -1, false))).query();
        assertEquals(512, plain.udpLimit());
        assertFalse(plain.edns());
        ClientQuery tiny = ((QueryParseResult.Parsed) QueryParser.parse(
                DnsFixtures.query(7, "a.test", Type.A, 100, false))).query();
        assertEquals(512, tiny.udpLimit(), "RFC 6891 §6.2.5: values below 512 are treated as 512");
        assertFalse(tiny.dnssecOk());
    }

    @Test
    void shortPacketsAreDroppedSilently() {
        for (int len = 0; len < 12; len++) {
            assertEquals(DnsDropReason.SHORT_HEADER, dropped(Arrays.copyOf(GOOD, len)), "length " + len);
        }
    }

    @Test
    void responsesAreNeverAnswered() {
        byte[] w = GOOD.clone();
        w[2] |= (byte) 0x80;
        assertEquals(DnsDropReason.QR_SET, dropped(w));
    }

    @Test
    void unknownOpcodesGetNotimp() {
        for (int opcode : new int[] {Opcode.IQUERY, Opcode.STATUS, 3, Opcode.NOTIFY, Opcode.UPDATE, 15}) {
            byte[] w = GOOD.clone();
            w[2] = (byte) ((w[2] & 0x87) | (opcode << 3));
            Message m = errorReply(w, DnsDropReason.NOT_IMPLEMENTED, Rcode.NOTIMP);
            assertEquals(opcode, m.getHeader().getOpcode());
            assertTrue(m.getHeader().getFlag(Flags.RD), "RD echoed");
        }
    }

    @Test
    void qdcountZeroOrTwoIsFormerr() {
        byte[] zero = Arrays.copyOf(GOOD, 12);
        zero[5] = 0;
        errorReply(zero, DnsDropReason.BAD_QDCOUNT, Rcode.FORMERR);
        byte[] two = GOOD.clone();
        two[5] = 2;
        Message m = errorReply(two, DnsDropReason.BAD_QDCOUNT, Rcode.FORMERR);
        assertEquals(0, m.getHeader().getCount(Section.QUESTION));
    }

    @Test
    void truncatedBodyIsFormerr() {
        for (int len = 13; len < GOOD.length; len++) {
            QueryParseResult r = QueryParser.parse(Arrays.copyOf(GOOD, len));
            assertInstanceOf(QueryParseResult.ErrorReply.class, r, "length " + len);
            assertEquals(DnsDropReason.MALFORMED, ((QueryParseResult.ErrorReply) r).reason());
        }
    }

    @Test
    void compressionPointerLoopIsFormerr() {
        byte[] self = header(0x1234, 1);
        byte[] loop = concat(self, new byte[] {(byte) 0xC0, 12, 0, 1, 0, 1});
        errorReply(loop, DnsDropReason.MALFORMED, Rcode.FORMERR);
        byte[] twoStep = concat(self, new byte[] {1, 'a', (byte) 0xC0, 14, (byte) 0xC0, 12, 0, 1, 0, 1});
        errorReply(twoStep, DnsDropReason.MALFORMED, Rcode.FORMERR);
        byte[] forward = concat(self, new byte[] {(byte) 0xC0, 40, 0, 1, 0, 1});
        errorReply(forward, DnsDropReason.MALFORMED, Rcode.FORMERR);
    }

    @Test
    void badLabelsAreFormerr() {
        byte[] h = header(0x4321, 1);
        byte[] label64 = new byte[1 + 64 + 1 + 4];
        label64[0] = 64;
        Arrays.fill(label64, 1, 65, (byte) 'x');
        label64[67] = 1;
        label64[69] = 1;
        errorReply(concat(h, label64), DnsDropReason.MALFORMED, Rcode.FORMERR);
        byte[] extended = {(byte) 0x40, 1, 0, 0, 1, 0, 1}; // label type 01 (RFC 6891 §5 deprecated)
        errorReply(concat(h, extended), DnsDropReason.MALFORMED, Rcode.FORMERR);
        byte[] tooLong = new byte[0];
        for (int i = 0; i < 5; i++) {
            byte[] l = new byte[61];
            l[0] = 60;
            Arrays.fill(l, 1, 61, (byte) 'y');
            tooLong = concat(tooLong, l);
        }
        errorReply(concat(h, concat(tooLong, new byte[] {0, 0, 1, 0, 1})), DnsDropReason.MALFORMED, Rcode.FORMERR);
    }

    @Test
    void twoOptRecordsAreFormerr() {
        byte[] w = concat(GOOD, Arrays.copyOfRange(GOOD, GOOD.length - 11, GOOD.length));
        w[11] = 2;
        errorReply(w, DnsDropReason.MULTIPLE_OPT, Rcode.FORMERR);
    }

    @Test
    void ednsVersionOneGetsBadvers() {
        byte[] w = GOOD.clone();
        w[GOOD.length - 11 + 6] = 1; // OPT TTL: ext-rcode, VERSION, flags
        Message m = errorReply(w, DnsDropReason.BAD_EDNS_VERSION, Rcode.BADVERS);
        assertEquals(0, m.getOPT().getVersion());
    }

    @Test
    void nonInClassAndTransferTypesAreRefusedWithTheQuestion() {
        byte[] ch = GOOD.clone();
        int qclassAt = 12 + DnsFixtures.name("Www.Example.TEST").length() + 2;
        ch[qclassAt + 1] = (byte) DClass.CH;
        Message m = errorReply(ch, DnsDropReason.REFUSED_QCLASS, Rcode.REFUSED);
        assertEquals(1, m.getHeader().getCount(Section.QUESTION));
        for (int type : new int[] {Type.AXFR, Type.IXFR, Type.MAILA, Type.MAILB, Type.OPT}) {
            errorReply(DnsFixtures.query(99, "zone.test", type, -1, false), DnsDropReason.REFUSED_QTYPE,
                    Rcode.REFUSED);
        }
    }

    @Test
    void randomAndMutatedInputNeverThrows() {
        SplittableRandom rnd = new SplittableRandom(0x5EED);
        for (int i = 0; i < 20_000; i++) {
            byte[] w;
            if (i % 2 == 0) {
                w = new byte[rnd.nextInt(0, 600)];
                rnd.nextBytes(w);
            } else {
                w = GOOD.clone();
                for (int k = rnd.nextInt(1, 6); k > 0; k--) {
                    w[rnd.nextInt(w.length)] = (byte) rnd.nextInt(256);
                }
                if (rnd.nextBoolean()) {
                    w = Arrays.copyOf(w, rnd.nextInt(w.length + 1));
                }
            }
            assertTrue(QueryParser.parse(w) != null);
        }
    }

    @Test
    void errorWireIsAParseableHeaderOnlyMessage() {
        byte[] w = QueryParser.errorWire(0xABCD, Opcode.QUERY, DnsWire.FLAG_RD, Rcode.FORMERR, null);
        assertArrayEquals(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0x81, 0x01, 0, 0, 0, 0, 0, 0, 0, 0}, w);
    }

    private static byte[] header(int id, int qdcount) {
        byte[] h = new byte[12];
        DnsWire.put16(h, 0, id);
        DnsWire.put16(h, 2, DnsWire.FLAG_RD);
        DnsWire.put16(h, 4, qdcount);
        return h;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
