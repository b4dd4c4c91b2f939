package io.warren.gateway.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Ipv4FragmenterTest {

    /** Record Route (type 7, not copied), NOP, Security-like option 0x82 (copied, len 4), padding. */
    private static final String OPTIONS = "07070400000000" + "01" + "82040a0b";

    private final Bufs bufs = new Bufs();

    @AfterEach
    void release() {
        bufs.close();
    }

    private ByteBuf packet(String options, int dataLength, int flagsWord) {
        int headerLength = 20 + options.length() / 2;
        byte[] data = new byte[headerLength + dataLength];
        for (int i = headerLength; i < data.length; i++) {
            data[i] = (byte) (i * 13 + 5);
        }
        ByteBuf buf = bufs.bytes(data, 12);
        int ip = buf.readerIndex();
        buf.setBytes(ip, Bufs.decode("452c00001c46000040110000c0000201c6336402" + options));
        buf.setByte(ip, 0x40 | headerLength / 4);
        buf.setShort(ip + 2, data.length);
        buf.setShort(ip + 6, flagsWord);
        Ipv4Header.updateHeaderChecksum(buf, ip);
        return buf;
    }

    private List<ByteBuf> fragments(Ipv4Fragmenter.Result result) {
        List<ByteBuf> list = assertInstanceOf(Ipv4Fragmenter.Result.Fragments.class, result).fragments();
        list.forEach(bufs::own);
        return list;
    }

    /** Reassembles in the test (RFC 791 §3.2 reassembly, all fragments present). */
    private static byte[] reassemble(List<ByteBuf> fragments) {
        int total = 0;
        for (ByteBuf f : fragments) {
            int end = Ipv4Header.fragmentOffset(f, 0) + Ipv4Header.totalLength(f, 0) - Ipv4Header.headerLength(f, 0);
            total = Math.max(total, end);
        }
        byte[] data = new byte[total];
        for (ByteBuf f : fragments) {
            int hl = Ipv4Header.headerLength(f, 0);
            f.getBytes(hl, data, Ipv4Header.fragmentOffset(f, 0), Ipv4Header.totalLength(f, 0) - hl);
        }
        return data;
    }

    @Test
    void fragmentsAndReassemblesToOriginal() {
        ByteBuf original = packet(OPTIONS, 3001, 0x8000);
        List<ByteBuf> fragments = fragments(Ipv4Fragmenter.fragment(Bufs.ALLOC, original, 1400));
        assertEquals(3, fragments.size());
        for (int i = 0; i < fragments.size(); i++) {
            ByteBuf f = fragments.get(i);
            assertEquals(IpCheck.VALID, Ipv4Header.check(f, 0));
            assertTrue(f.readableBytes() <= 1400);
            assertEquals(0x1c46, Ipv4Header.identification(f, 0));
            assertEquals(0x2c, Ipv4Header.tos(f, 0));
            assertEquals(0x40, Ipv4Header.ttl(f, 0));
            assertEquals(IpProtocols.UDP, Ipv4Header.protocol(f, 0));
            assertEquals(0xc6336402, Ipv4Header.destination(f, 0));
            assertEquals(i < 2, Ipv4Header.moreFragments(f, 0));
            // RFC 1812 §5.2.5: the reserved flag bit is copied into each fragment.
            assertEquals(0x8000, Ipv4Header.flagsAndFragmentOffset(f, 0) & 0x8000);
            if (i < 2) {
                assertEquals(0, (Ipv4Header.totalLength(f, 0) - Ipv4Header.headerLength(f, 0)) % 8);
            }
        }
        // First fragment keeps all options; later ones only the copied option, padded to 4 bytes.
        assertEquals(32, Ipv4Header.headerLength(fragments.get(0), 0));
        assertEquals("07070400000000" + "01" + "82040a0b", Bufs.hexOf(fragments.get(0).slice(20, 12)));
        assertEquals(24, Ipv4Header.headerLength(fragments.get(1), 0));
        assertEquals("82040a0b", Bufs.hexOf(fragments.get(1).slice(20, 4)));
        byte[] expected = new byte[3001];
        original.getBytes(original.readerIndex() + 32, expected);
        assertArrayEquals(expected, reassemble(fragments));
    }

    @Test
    void refragmentingAFragmentKeepsOffsetAndMoreFragments() {
        // A middle fragment: MF set, offset 185 units (1480 bytes).
        ByteBuf middle = packet("", 1480, 0x2000 | 185);
        List<ByteBuf> fragments = fragments(Ipv4Fragmenter.fragment(Bufs.ALLOC, middle, 576));
        assertEquals(3, fragments.size());
        assertEquals(1480, Ipv4Header.fragmentOffset(fragments.get(0), 0));
        assertEquals(1480 + 552, Ipv4Header.fragmentOffset(fragments.get(1), 0));
        fragments.forEach(f -> assertTrue(Ipv4Header.moreFragments(f, 0)));
    }

    @Test
    void refusals() {
        assertInstanceOf(Ipv4Fragmenter.Result.Fits.class,
                Ipv4Fragmenter.fragment(Bufs.ALLOC, packet("", 100, 0), 1500));
        assertEquals(new Ipv4Fragmenter.Result.Refused(Ipv4Fragmenter.Reason.DONT_FRAGMENT),
                Ipv4Fragmenter.fragment(Bufs.ALLOC, packet("", 2000, 0x4000), 1500));
        assertEquals(new Ipv4Fragmenter.Result.Refused(Ipv4Fragmenter.Reason.MTU_TOO_SMALL),
                Ipv4Fragmenter.fragment(Bufs.ALLOC, packet("", 2000, 0), 67));
        assertEquals(new Ipv4Fragmenter.Result.Refused(Ipv4Fragmenter.Reason.MALFORMED),
                Ipv4Fragmenter.fragment(Bufs.ALLOC, bufs.hex(Fixtures.V4_SYN.substring(0, 36)), 1500));
        // An option whose length runs past the header.
        assertEquals(new Ipv4Fragmenter.Result.Refused(Ipv4Fragmenter.Reason.MALFORMED),
                Ipv4Fragmenter.fragment(Bufs.ALLOC, packet("8209000000000000", 2000, 0), 1500));
    }

    @Test
    void smallestMtuStillWorks() {
        ByteBuf original = packet("", 500, 0);
        List<ByteBuf> fragments = fragments(Ipv4Fragmenter.fragment(Bufs.ALLOC, original, 68));
        assertEquals(11, fragments.size());
        byte[] expected = new byte[500];
        original.getBytes(original.readerIndex() + 20, expected);
        assertArrayEquals(expected, reassemble(fragments));
    }

    @Test
    void randomGarbageNeverThrows() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(791);
        for (int i = 0; i < 2000; i++) {
            ByteBuf buf = packet(OPTIONS, random.nextInt(0, 600), 0);
            for (int flips = random.nextInt(1, 4); flips > 0; flips--) {
                buf.setByte(buf.readerIndex() + random.nextInt(32), random.nextInt(256));
            }
            if (Ipv4Header.headerLength(buf, buf.readerIndex()) <= buf.readableBytes()) {
                Ipv4Header.updateHeaderChecksum(buf, buf.readerIndex());
            }
            if (Ipv4Fragmenter.fragment(Bufs.ALLOC, buf, random.nextInt(60, 700))
                    instanceof Ipv4Fragmenter.Result.Fragments f) {
                f.fragments().forEach(ByteBuf::release);
            }
            if (i % 200 == 0) {
                bufs.close();
            }
        }
    }
}
