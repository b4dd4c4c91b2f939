package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Hostile STUN input (RFC 8489): malformed headers and attributes, unknown comprehension-required
 * attributes, duplicates, attributes after MESSAGE-INTEGRITY, forged and replayed responses, and
 * randomised messages from a tiny reference encoder. Nothing may throw; nothing forged may change
 * the mapped address.
 */
class StunHostileTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.10", 3478);
    private static final InetSocketAddress MAPPED = new InetSocketAddress("198.51.100.7", 51820);
    private static final InetSocketAddress OTHER = new InetSocketAddress("203.0.113.66", 4444);
    private static final TransactionId ID = new TransactionId(0x0a0b0c0d, 0x0102030405060708L);

    /** One attribute as the reference encoder writes it: type, value (padded on the wire). */
    record Attr(int type, byte[] value) {
    }

    /** A tiny reference encoder (§5, §14): header, attributes padded to 4, optional FINGERPRINT. */
    static ByteBuffer message(int type, TransactionId id, boolean fingerprint, List<Attr> attrs) {
        ByteBuffer b = ByteBuffer.allocate(2048);
        b.putShort((short) type).putShort((short) 0).putInt(StunWire.MAGIC_COOKIE);
        id.write(b);
        for (Attr a : attrs) {
            b.putShort((short) a.type()).putShort((short) a.value().length).put(a.value());
            while ((b.position() & 3) != 0) {
                b.put((byte) 0);
            }
        }
        if (fingerprint) {
            b.putShort(2, (short) (b.position() - 20 + 8));
            CRC32 crc = new CRC32();
            crc.update(b.array(), 0, b.position());
            b.putShort((short) StunWire.FINGERPRINT).putShort((short) 4).putInt((int) crc.getValue() ^ StunWire.FINGERPRINT_XOR);
        }
        b.putShort(2, (short) (b.position() - 20));
        return b.flip();
    }

    static Attr xorMapped(InetSocketAddress a, TransactionId id) {
        byte[] addr = a.getAddress().getAddress();
        ByteBuffer mask = ByteBuffer.allocate(16).putInt(StunWire.MAGIC_COOKIE);
        id.write(mask);
        ByteBuffer v = ByteBuffer.allocate(4 + addr.length).put((byte) 0)
                .put((byte) (addr.length == 4 ? 1 : 2)).putShort((short) (a.getPort() ^ 0x2112));
        for (int i = 0; i < addr.length; i++) {
            v.put((byte) (addr[i] ^ mask.get(i)));
        }
        return new Attr(StunWire.XOR_MAPPED_ADDRESS, v.array());
    }

    static Attr mapped(InetSocketAddress a) {
        byte[] addr = a.getAddress().getAddress();
        return new Attr(StunWire.MAPPED_ADDRESS, ByteBuffer.allocate(4 + addr.length).put((byte) 0)
                .put((byte) (addr.length == 4 ? 1 : 2)).putShort((short) a.getPort()).put(addr).array());
    }

    static Attr raw(int type, int length) {
        byte[] v = new byte[length];
        for (int i = 0; i < length; i++) {
            v[i] = (byte) (0x41 + i);
        }
        return new Attr(type, v);
    }

    private static StunDecodeResult decode(ByteBuffer b) {
        return StunCodec.decode(b);
    }

    private static StunDropReason dropped(ByteBuffer b) {
        StunDecodeResult r = decode(b);
        assertInstanceOf(StunDecodeResult.Dropped.class, r, r::toString);
        return ((StunDecodeResult.Dropped) r).reason();
    }

    private static StunMessage decoded(ByteBuffer b) {
        StunDecodeResult r = decode(b);
        assertInstanceOf(StunDecodeResult.Decoded.class, r, r::toString);
        return ((StunDecodeResult.Decoded) r).message();
    }

    private static ByteBuffer success(Attr... attrs) {
        return message(StunWire.BINDING_SUCCESS_RESPONSE, ID, true, List.of(attrs));
    }

    @Test
    void headerTableOfBadFraming() {
        ByteBuffer good = success(xorMapped(MAPPED, ID));
        assertEquals(MAPPED, decoded(good.duplicate()).reflexive().orElseThrow());
        // row: mutation of a good response -> dropped as a malformed header (§5), not STUN for the tap
        List<java.util.function.Consumer<ByteBuffer>> rows = List.of(
                b -> b.putInt(4, StunWire.MAGIC_COOKIE ^ 1), // magic cookie wrong
                b -> b.put(0, (byte) (b.get(0) | 0x40)), // top bit 1 set
                b -> b.put(0, (byte) (b.get(0) | 0x80)), // top bit 0 set
                b -> b.putShort(2, (short) (b.getShort(2) + 4)), // longer than the datagram
                b -> b.putShort(2, (short) (b.getShort(2) - 4)), // shorter than the datagram
                b -> b.putShort(2, (short) (b.getShort(2) + 1)), // not a multiple of 4
                b -> b.putShort(2, (short) 0xffff)); // absurd
        for (var row : rows) {
            ByteBuffer b = ByteBuffer.allocate(good.remaining()).put(good.duplicate()).flip();
            row.accept(b);
            assertFalse(StunCodec.isStun(b));
            assertEquals(StunDropReason.MALFORMED_HEADER, dropped(b));
        }
        for (int n = 0; n < 20; n++) {
            assertEquals(StunDropReason.MALFORMED_HEADER, dropped(ByteBuffer.wrap(new byte[n])), "length " + n);
        }
        ByteBuffer odd = ByteBuffer.allocate(good.remaining() + 4).put(good.duplicate()).clear();
        assertEquals(StunDropReason.MALFORMED_HEADER, dropped(odd), "trailing bytes past the length");
    }

    @Test
    void attributeTableOfBadValues() {
        byte[] v4 = xorMapped(MAPPED, ID).value();
        byte[] v4AsV6Length = java.util.Arrays.copyOf(v4, 20);
        byte[] family3 = v4.clone();
        family3[1] = 3;
        byte[] family0 = v4.clone();
        family0[1] = 0;
        byte[] v6AsV4Length = xorMapped(new InetSocketAddress("2001:db8::7", 9), ID).value();
        v6AsV4Length = java.util.Arrays.copyOf(v6AsV4Length, 8);
        // rows: attribute value -> malformed (§14.1, §14.2)
        for (byte[] bad : List.of(v4AsV6Length, family3, family0, v6AsV4Length, new byte[3], new byte[0])) {
            assertEquals(StunDropReason.MALFORMED_ATTRIBUTE,
                    dropped(success(new Attr(StunWire.XOR_MAPPED_ADDRESS, bad))), java.util.Arrays.toString(bad));
            assertEquals(StunDropReason.MALFORMED_ATTRIBUTE, dropped(success(new Attr(StunWire.MAPPED_ADDRESS, bad))));
        }
        // an attribute whose length runs past the end
        ByteBuffer b = success(raw(0x8022, 4));
        ByteBuffer past = ByteBuffer.allocate(b.remaining()).put(b.duplicate()).flip();
        past.putShort(22, (short) 40);
        assertEquals(StunDropReason.MALFORMED_ATTRIBUTE, dropped(past));
        // odd lengths are padded (§14): SOFTWARE (comprehension-optional) of 1..7 bytes is skipped
        for (int n = 1; n < 8; n++) {
            assertEquals(MAPPED, decoded(success(raw(0x8022, n), xorMapped(MAPPED, ID))).reflexive().orElseThrow());
        }
        // FINGERPRINT wrong, FINGERPRINT not last, FINGERPRINT of bad length
        ByteBuffer fp = success(xorMapped(MAPPED, ID));
        fp.put(fp.limit() - 1, (byte) (fp.get(fp.limit() - 1) ^ 1));
        assertEquals(StunDropReason.BAD_FINGERPRINT, dropped(fp));
        ByteBuffer notLast = success(xorMapped(MAPPED, ID));
        ByteBuffer longer = message(StunWire.BINDING_SUCCESS_RESPONSE, ID, false, List.of(
                new Attr(StunWire.FINGERPRINT, java.util.Arrays.copyOfRange(notLast.array(), notLast.limit() - 4,
                        notLast.limit())), raw(0x8022, 4)));
        assertTrue(List.of(StunDropReason.MALFORMED_ATTRIBUTE, StunDropReason.BAD_FINGERPRINT).contains(dropped(longer)),
                "FINGERPRINT not last");
        assertEquals(StunDropReason.MALFORMED_ATTRIBUTE, dropped(message(StunWire.BINDING_SUCCESS_RESPONSE, ID, false,
                List.of(raw(StunWire.FINGERPRINT, 8)))));
    }

    @Test
    void aMessageInsideALargerBufferDecodesTheSameAndTheBufferIsUntouched() {
        ByteBuffer m = success(mapped(OTHER), xorMapped(MAPPED, ID));
        for (int at : new int[] {1, 7, 64}) {
            ByteBuffer big = ByteBuffer.allocate(at + m.remaining() + 13);
            for (int i = 0; i < big.capacity(); i++) {
                big.put(i, (byte) 0x5a);
            }
            big.position(at);
            big.put(m.duplicate());
            big.limit(big.position()).position(at);
            assertTrue(StunCodec.isStun(big));
            StunMessage d = decoded(big);
            assertEquals(Optional.of(MAPPED), d.xorMapped());
            assertTrue(d.fingerprinted(), "FINGERPRINT covers the message, not the buffer");
            assertEquals(at, big.position());
            ByteBuffer slice = big.slice();
            assertEquals(Optional.of(MAPPED), decoded(slice).xorMapped());
        }
    }

    @Test
    void duplicateAttributesFirstOneWins() {
        // §14: only the first occurrence needs processing; a later duplicate must not override it
        StunMessage m = decoded(success(xorMapped(MAPPED, ID), xorMapped(OTHER, ID), mapped(OTHER), mapped(MAPPED)));
        assertEquals(Optional.of(MAPPED), m.xorMapped());
        assertEquals(Optional.of(OTHER), m.mapped());
        assertEquals(MAPPED, decoded(success(xorMapped(MAPPED, ID), new Attr(StunWire.XOR_MAPPED_ADDRESS, new byte[3])))
                .reflexive().orElseThrow(), "a broken duplicate is ignored with the rest of the duplicates");
    }

    @Test
    void attributesAfterMessageIntegrityAreIgnored() {
        Attr mi = raw(0x0008, 20);
        Attr mi256 = raw(0x001C, 32);
        // §14.5: everything after MESSAGE-INTEGRITY except MESSAGE-INTEGRITY-SHA256 and FINGERPRINT is ignored
        StunMessage after = decoded(success(mi, xorMapped(OTHER, ID)));
        assertEquals(Optional.empty(), after.reflexive());
        assertEquals(Optional.of(MAPPED), decoded(success(xorMapped(MAPPED, ID), mi, xorMapped(OTHER, ID), mapped(OTHER)))
                .reflexive());
        // §14.6: the same after MESSAGE-INTEGRITY-SHA256
        assertEquals(Optional.empty(), decoded(success(mi256, mapped(OTHER))).reflexive());
        // ignored means ignored: an unknown comprehension-required attribute after them does not fail the response
        assertEquals(Optional.of(MAPPED), decoded(success(xorMapped(MAPPED, ID), mi, raw(0x0003, 4))).reflexive());
        assertTrue(decoded(success(xorMapped(MAPPED, ID), mi, mi256)).fingerprinted());
    }

    private final StunCounters counters = new StunCounters();
    private final StunClient client = new StunClient(new Random(7), counters);

    private TransactionId startOne(long now) {
        client.start(List.of(SERVER), now);
        ByteBuffer req = client.poll(now).get(0).datagram();
        return TransactionId.read(req, 8);
    }

    @Test
    void unknownComprehensionRequiredAttributeFailsTheTransaction() {
        for (int type : new int[] {0x0000, 0x0003, 0x0021, 0x7fff}) {
            StunCounters c = new StunCounters();
            StunClient cl = new StunClient(new Random(type), c);
            cl.start(List.of(SERVER), 0);
            TransactionId id = TransactionId.read(cl.poll(0).get(0).datagram(), 8);
            ByteBuffer bad = message(StunWire.BINDING_SUCCESS_RESPONSE, id, true, List.of(xorMapped(MAPPED, id), raw(type, 4)));
            // from a stranger: it cannot end our transaction
            assertEquals(new StunClient.Ignored(StunDropReason.WRONG_SOURCE), cl.receive(bad.duplicate(), OTHER));
            assertEquals(1, cl.inFlight());
            // §6.3.3: from the server, discarded and the transaction is considered failed
            assertEquals(new StunClient.Ignored(StunDropReason.UNKNOWN_REQUIRED_ATTRIBUTE), cl.receive(bad, SERVER),
                    Integer.toHexString(type));
            assertEquals(0, cl.inFlight(), "no more retransmissions for a failed transaction");
            assertTrue(cl.poll(10_000 * MS).isEmpty());
            assertTrue(cl.reflexive().isEmpty());
            assertEquals(1, c.dropped(StunDropReason.UNKNOWN_REQUIRED_ATTRIBUTE));
        }
        // comprehension-optional unknowns are ignored
        TransactionId id = startOne(0);
        assertEquals(new StunClient.Mapped(SERVER, MAPPED), client.receive(message(StunWire.BINDING_SUCCESS_RESPONSE, id,
                true, List.of(raw(0x8000, 4), raw(0xffff, 1), xorMapped(MAPPED, id), raw(0xC001, 9))), SERVER));
    }

    @Test
    void forgedAndReplayedResponsesNeverMoveOurMappedAddress() {
        TransactionId id = startOne(0);
        ByteBuffer good = message(StunWire.BINDING_SUCCESS_RESPONSE, id, true, List.of(xorMapped(MAPPED, id)));
        ByteBuffer forged = message(StunWire.BINDING_SUCCESS_RESPONSE, id, true, List.of(xorMapped(OTHER, id)));
        assertEquals(new StunClient.Ignored(StunDropReason.WRONG_SOURCE), client.receive(forged.duplicate(), OTHER));
        InetSocketAddress sameIpOtherPort = new InetSocketAddress(SERVER.getAddress(), 3479);
        assertEquals(new StunClient.Ignored(StunDropReason.WRONG_SOURCE), client.receive(forged.duplicate(), sameIpOtherPort));
        ByteBuffer badFp = forged.duplicate();
        ByteBuffer copy = ByteBuffer.allocate(badFp.remaining()).put(badFp).flip();
        copy.put(copy.limit() - 1, (byte) (copy.get(copy.limit() - 1) ^ 0x10));
        assertEquals(new StunClient.Ignored(StunDropReason.BAD_FINGERPRINT), client.receive(copy, SERVER));
        assertEquals(1, client.inFlight(), "none of these ended the transaction");
        assertEquals(new StunClient.Mapped(SERVER, MAPPED), client.receive(good.duplicate(), SERVER));
        // replays of the answered transaction, and a forged one with the same id: late, ignored
        assertEquals(new StunClient.Ignored(StunDropReason.UNKNOWN_TRANSACTION), client.receive(good.duplicate(), SERVER));
        assertEquals(new StunClient.Ignored(StunDropReason.UNKNOWN_TRANSACTION), client.receive(forged.duplicate(), SERVER));
        // an id we never sent
        TransactionId never = new TransactionId(id.high(), id.low() ^ 1);
        assertEquals(new StunClient.Ignored(StunDropReason.UNKNOWN_TRANSACTION), client.receive(
                message(StunWire.BINDING_SUCCESS_RESPONSE, never, true, List.of(xorMapped(OTHER, never))), SERVER));
        assertEquals(MAPPED, client.reflexive().orElseThrow());
        assertEquals(1, counters.responses());
        // a response to the next round's transaction after ours timed out: still late
        TransactionId id2 = startOne(100_000 * MS);
        for (long t = 100_000 * MS; t <= 140_000 * MS; t += 100 * MS) {
            client.poll(t);
        }
        assertEquals(0, client.inFlight());
        assertEquals(new StunClient.Ignored(StunDropReason.UNKNOWN_TRANSACTION), client.receive(
                message(StunWire.BINDING_SUCCESS_RESPONSE, id2, true, List.of(xorMapped(OTHER, id2))), SERVER));
        assertTrue(client.reflexive().isEmpty(), "a server that stopped answering is forgotten, not replaced by a forgery");
    }

    @Test
    void retransmissionsFollowTheFakeClockAndAClockJumpSendsOnce() {
        TransactionId id = startOne(0);
        assertTrue(client.poll(499 * MS).isEmpty());
        List<StunClient.Outgoing> late = client.poll(10_000 * MS);
        assertEquals(1, late.size(), "a stalled timer thread sends one retransmission, not a burst");
        assertEquals(id, TransactionId.read(late.get(0).datagram(), 8));
        assertEquals(Optional.of(11_000 * MS), client.nextDeadline(), "then RTO doubled (1 s) from now");
        assertEquals(new StunClient.Mapped(SERVER, MAPPED), client.receive(
                message(StunWire.BINDING_SUCCESS_RESPONSE, id, false, List.of(mapped(MAPPED))), SERVER),
                "an answer to a retransmission is accepted (MAPPED-ADDRESS, no FINGERPRINT)");
        assertEquals(Optional.empty(), client.nextDeadline());
    }

    @Test
    void randomMutationsOfValidMessagesNeverThrow() throws Exception {
        Random r = new Random(8489);
        TransactionId id = startOne(0);
        List<ByteBuffer> seeds = List.of(
                message(StunWire.BINDING_SUCCESS_RESPONSE, id, true, List.of(xorMapped(MAPPED, id), mapped(MAPPED))),
                message(StunWire.BINDING_SUCCESS_RESPONSE, id, false, List.of(raw(0x0008, 20), xorMapped(
                        new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 7), id))),
                message(StunWire.BINDING_ERROR_RESPONSE, id, true, List.of(raw(0x0009, 11))));
        for (int i = 0; i < 30_000; i++) {
            ByteBuffer seed = seeds.get(r.nextInt(seeds.size()));
            byte[] b = java.util.Arrays.copyOf(seed.array(), seed.limit());
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            if (r.nextInt(8) == 0) {
                b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 8));
            }
            ByteBuffer d = ByteBuffer.wrap(b);
            StunDecodeResult res = StunCodec.decode(d);
            assertTrue(res instanceof StunDecodeResult.Decoded || res instanceof StunDecodeResult.Dropped);
            assertEquals(0, d.position());
            client.receive(ByteBuffer.wrap(b), r.nextBoolean() ? SERVER : OTHER);
        }
        // whatever got through came from the server with the one id in flight: at most one mapping
        assertTrue(counters.responses() <= 1);
    }

    @Test
    void randomAttributeSequencesRoundTripAgainstTheReferenceEncoder() throws Exception {
        Random r = new Random(5389);
        for (int i = 0; i < 5_000; i++) {
            TransactionId id = TransactionId.random(r);
            List<Attr> attrs = new ArrayList<>();
            InetSocketAddress firstXor = null;
            InetSocketAddress firstMapped = null;
            for (int k = r.nextInt(6); k > 0; k--) {
                byte[] a = new byte[r.nextBoolean() ? 4 : 16];
                r.nextBytes(a);
                InetSocketAddress addr = new InetSocketAddress(InetAddress.getByAddress(a), r.nextInt(65536));
                switch (r.nextInt(4)) {
                    case 0 -> {
                        attrs.add(xorMapped(addr, id));
                        firstXor = firstXor == null ? addr : firstXor;
                    }
                    case 1 -> {
                        attrs.add(mapped(addr));
                        firstMapped = firstMapped == null ? addr : firstMapped;
                    }
                    case 2 -> attrs.add(raw(0x8000 + r.nextInt(0x28), r.nextInt(30))); // optional, never FINGERPRINT
                    default -> attrs.add(raw(0x8029 + r.nextInt(0x7fd6), r.nextInt(30)));
                }
            }
            boolean fp = r.nextBoolean();
            StunMessage m = decoded(message(StunWire.BINDING_SUCCESS_RESPONSE, id, fp, attrs));
            assertEquals(id, m.transactionId());
            assertEquals(Optional.ofNullable(firstXor), m.xorMapped());
            assertEquals(Optional.ofNullable(firstMapped), m.mapped());
            assertEquals(fp, m.fingerprinted());
        }
    }
}
