package io.warren.gateway.encap.l2tpv3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * L2TPv3 data messages (RFC 3931 §4.1.1 over IP, §4.1.2.1 over UDP, §4.6 default sublayer) against
 * a reference encoder for random sessions: cookies of 0, 4 and 8 bytes, sublayer or none, sequence
 * numbers; a cookie of the wrong length or value, Session ID 0, the T bit and every truncation drop.
 */
class L2tpv3HostileTest {
    private static final int[] COOKIE_LENGTHS = {0, 4, 8};

    /** The reference encoding of a data message carrying {@code payload}. */
    private static byte[] reference(L2tpv3Encap encap, int flagsWord, int sessionId, byte[] cookie, boolean sublayer,
                                    boolean s, int sequence, byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        if (encap == L2tpv3Encap.UDP) {
            b.writeShort(flagsWord).writeShort(0xbeef); // reserved: ignored on receipt
        }
        b.writeInt(sessionId).writeBytes(cookie);
        if (sublayer) {
            b.writeInt((s ? 0x40000000 : 0) | (sequence & 0xffffff) | 0x80000000); // x bits ignored
        }
        b.writeBytes(payload);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static L2tpv3Session session(SplittableRandom random, int id) {
        byte[] cookie = new byte[COOKIE_LENGTHS[random.nextInt(3)]];
        random.nextBytes(cookie);
        boolean sublayer = random.nextBoolean();
        boolean require = sublayer && random.nextBoolean();
        return new L2tpv3Session(id, id + 1, null, cookie, sublayer ? L2SpecificSublayer.DEFAULT : L2SpecificSublayer.NONE,
                false, require);
    }

    private static L2tpv3DecodeResult decode(byte[] packet, L2tpv3Encap encap, L2tpv3Session s) {
        IntFunction<L2tpv3Session> sessions = id -> id == s.sessionId() ? s : null;
        ByteBuf b = Unpooled.buffer(3 + packet.length).writerIndex(3).writeBytes(packet).readerIndex(3);
        L2tpv3DecodeResult r = L2tpv3Codec.decode(b, encap, sessions);
        if (r instanceof L2tpv3DecodeResult.Dropped) {
            assertEquals(3, b.readerIndex(), "reader index untouched on a drop");
        }
        return r;
    }

    private static L2tpv3DropReason reason(L2tpv3DecodeResult r) {
        return assertInstanceOf(L2tpv3DecodeResult.Dropped.class, r).reason();
    }

    @Test
    void randomSessionsDecodeTheReferenceAndRejectEveryCorruption() {
        SplittableRandom random = new SplittableRandom(3931);
        for (int i = 0; i < 5000; i++) {
            L2tpv3Session s = session(random, random.nextInt(1, Integer.MAX_VALUE));
            L2tpv3Encap encap = random.nextBoolean() ? L2tpv3Encap.UDP : L2tpv3Encap.IP;
            boolean sublayer = s.sublayer() == L2SpecificSublayer.DEFAULT;
            boolean seq = sublayer && (s.requireSequence() || random.nextBoolean());
            int sequence = random.nextInt(1 << 24);
            byte[] payload = new byte[random.nextInt(14, 80)];
            random.nextBytes(payload);
            int flags = 0x0003 | (random.nextInt(1 << 11) << 4); // reserved bits between T and Ver ignored
            byte[] cookie = s.peerCookie();
            byte[] good = reference(encap, flags, s.sessionId(), cookie, sublayer, seq, sequence, payload);
            L2tpv3DecodeResult.Decoded d = assertInstanceOf(L2tpv3DecodeResult.Decoded.class, decode(good, encap, s), "row " + i);
            assertEquals(seq, d.hasSequence());
            assertEquals(seq ? sequence : 0, d.sequence());

            // Every cut before the payload is TRUNCATED.
            int header = good.length - payload.length;
            for (int len = 0; len < header; len++) {
                L2tpv3DecodeResult r = decode(java.util.Arrays.copyOf(good, len), encap, s);
                assertInstanceOf(L2tpv3DecodeResult.Dropped.class, r, "row " + i + " cut at " + len);
            }
            // A cookie byte changed, or a cookie of another length (4 for 8, 8 for 4, 4 for none).
            if (cookie.length > 0) {
                byte[] bad = good.clone();
                bad[(encap == L2tpv3Encap.UDP ? 8 : 4) + random.nextInt(cookie.length)] ^= 0x20;
                assertEquals(L2tpv3DropReason.BAD_COOKIE, reason(decode(bad, encap, s)));
                byte[] other = new byte[cookie.length == 8 ? 4 : 8];
                System.arraycopy(cookie, 0, other, 0, Math.min(4, cookie.length));
                L2tpv3DecodeResult r = decode(reference(encap, flags, s.sessionId(), other, sublayer, seq, sequence, payload),
                        encap, s);
                if (cookie.length == 4) {
                    // The 4 configured bytes match: the extra 4 are read as sublayer/payload (as Linux
                    // does; the cookie length is configuration, RFC 3931 §4.1).
                    assertTrue(r instanceof L2tpv3DecodeResult.Decoded || r instanceof L2tpv3DecodeResult.Dropped);
                } else {
                    assertNotEquals(L2tpv3DecodeResult.Decoded.class, r.getClass(), "row " + i);
                }
            }
            // Session ID 0: a control message over IP; no session over UDP. T bit over UDP: control.
            byte[] zero = reference(encap, flags, 0, cookie, sublayer, seq, sequence, payload);
            assertEquals(encap == L2tpv3Encap.IP ? L2tpv3DropReason.CONTROL_MESSAGE : L2tpv3DropReason.UNKNOWN_SESSION,
                    reason(decode(zero, encap, s)));
            if (encap == L2tpv3Encap.UDP) {
                byte[] control = reference(encap, flags | 0x8000, s.sessionId(), cookie, sublayer, seq, sequence, payload);
                assertEquals(L2tpv3DropReason.CONTROL_MESSAGE, reason(decode(control, encap, s)));
                byte[] v2 = reference(encap, (flags & ~0xf) | 2, s.sessionId(), cookie, sublayer, seq, sequence, payload);
                assertEquals(L2tpv3DropReason.BAD_VERSION, reason(decode(v2, encap, s)));
            }
            if (s.requireSequence()) {
                byte[] noSeq = reference(encap, flags, s.sessionId(), cookie, sublayer, false, 0, payload);
                assertEquals(L2tpv3DropReason.MISSING_SEQUENCE, reason(decode(noSeq, encap, s)));
            }
        }
    }

    @Test
    void randomMutationsNeverThrow() {
        SplittableRandom random = new SplittableRandom(4719);
        for (int i = 0; i < 50_000; i++) {
            L2tpv3Session s = session(random, random.nextInt(1, 5));
            L2tpv3Encap encap = random.nextBoolean() ? L2tpv3Encap.UDP : L2tpv3Encap.IP;
            byte[] p = reference(encap, 3, s.sessionId(), s.peerCookie(), s.sublayer() == L2SpecificSublayer.DEFAULT,
                    true, random.nextInt(), new byte[random.nextInt(0, 30)]);
            for (int m = random.nextInt(1, 4); m > 0; m--) {
                p[random.nextInt(p.length)] = (byte) random.nextInt(256);
            }
            decode(java.util.Arrays.copyOf(p, random.nextInt(0, p.length + 1)), encap, s);
        }
    }
}
