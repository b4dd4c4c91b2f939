package io.warren.gateway.encap.l2tpv3;

import io.netty.buffer.ByteBuf;
import java.util.function.IntFunction;

/**
 * Encodes and decodes L2TPv3 data message headers (RFC 3931 §4.1) byte for byte as Linux's
 * {@code l2tp_core.c} does for a static session:
 *
 * <pre>
 * over UDP: |T=0|reserved|Ver=3| Reserved (16) |  then the same as over IP
 * over IP:  | Session ID (32) | Cookie (0/32/64) | L2-Specific Sublayer (0/32) | payload
 * default sublayer (RFC 3931 §4.6): |x|S|x|x|x|x|x|x| Sequence Number (24) |
 * </pre>
 *
 * With the default sublayer and sequencing off Linux still sends the 4 sublayer bytes, as zero.
 * On receive, like Linux: a UDP packet with T set, or an IP packet with Session ID 0, is a control
 * message; the Ver field must be 3; the reserved bits are ignored; the cookie is compared in
 * constant time.
 */
public final class L2tpv3Codec {

    private L2tpv3Codec() {
    }

    /** Length of the header this session sends over {@code encap}. */
    public static int headerLength(L2tpv3Session session, L2tpv3Encap encap) {
        return (encap == L2tpv3Encap.UDP ? L2tpv3Wire.UDP_FLAGS_LENGTH : 0)
                + L2tpv3Wire.SESSION_ID_LENGTH + session.cookieLength()
                + (session.sublayer() == L2SpecificSublayer.DEFAULT ? L2tpv3Wire.DEFAULT_SUBLAYER_LENGTH : 0);
    }

    /**
     * Decodes the header at the readerIndex of {@code packet} (the IP payload for {@link
     * L2tpv3Encap#IP}, the UDP payload for {@link L2tpv3Encap#UDP}). On success the readerIndex is
     * advanced to the payload; on a drop it is unchanged. Never throws on input.
     *
     * @param sessions finds a session by our Session ID, or returns null
     */
    public static L2tpv3DecodeResult decode(ByteBuf packet, L2tpv3Encap encap,
                                            IntFunction<L2tpv3Session> sessions) {
        return decode(packet, encap, sessions, new L2tpv3DecodeResult.Decoded());
    }

    /**
     * As {@link #decode(ByteBuf, L2tpv3Encap, IntFunction)}, allocating nothing: a data message is
     * described in {@code into}, which is returned; a drop returns the shared
     * {@link L2tpv3DecodeResult.Dropped} of its reason.
     */
    public static L2tpv3DecodeResult decode(ByteBuf packet, L2tpv3Encap encap,
                                            IntFunction<L2tpv3Session> sessions, L2tpv3DecodeResult.Decoded into) {
        int start = packet.readerIndex();
        int end = packet.writerIndex();
        int at = start;
        if (encap == L2tpv3Encap.UDP) {
            if (end - at < L2tpv3Wire.UDP_FLAGS_LENGTH) {
                return drop(L2tpv3DropReason.TRUNCATED);
            }
            int flags = packet.getUnsignedShort(at);
            if ((flags & L2tpv3Wire.FLAG_T) != 0) {
                return drop(L2tpv3DropReason.CONTROL_MESSAGE);
            }
            if ((flags & L2tpv3Wire.VERSION_MASK) != L2tpv3Wire.VERSION_3) {
                return drop(L2tpv3DropReason.BAD_VERSION);
            }
            at += L2tpv3Wire.UDP_FLAGS_LENGTH;
        }
        if (end - at < L2tpv3Wire.SESSION_ID_LENGTH) {
            return drop(L2tpv3DropReason.TRUNCATED);
        }
        int sessionId = packet.getInt(at);
        at += L2tpv3Wire.SESSION_ID_LENGTH;
        if (sessionId == L2tpv3Wire.CONTROL_SESSION_ID && encap == L2tpv3Encap.IP) {
            return drop(L2tpv3DropReason.CONTROL_MESSAGE);
        }
        L2tpv3Session session = sessionId == L2tpv3Wire.CONTROL_SESSION_ID ? null : sessions.apply(sessionId);
        if (session == null) {
            return drop(L2tpv3DropReason.UNKNOWN_SESSION);
        }
        int cookieLength = session.peerCookieLength();
        if (end - at < cookieLength) {
            return drop(L2tpv3DropReason.TRUNCATED);
        }
        if (!cookieMatches(packet, at, session)) {
            return drop(L2tpv3DropReason.BAD_COOKIE);
        }
        at += cookieLength;
        boolean hasSequence = false;
        int sequence = 0;
        if (session.sublayer() == L2SpecificSublayer.DEFAULT) {
            if (end - at < L2tpv3Wire.DEFAULT_SUBLAYER_LENGTH) {
                return drop(L2tpv3DropReason.TRUNCATED);
            }
            int word = packet.getInt(at);
            hasSequence = (word & L2tpv3Wire.SUBLAYER_S) != 0;
            sequence = hasSequence ? word & L2tpv3Wire.SEQUENCE_MASK : 0;
            at += L2tpv3Wire.DEFAULT_SUBLAYER_LENGTH;
        }
        if (!hasSequence && session.requireSequence()) {
            return drop(L2tpv3DropReason.MISSING_SEQUENCE);
        }
        packet.readerIndex(at);
        into.set(session, hasSequence, sequence);
        return into;
    }

    /**
     * Writes the header into the headroom before the readerIndex of {@code packet} (whose readable
     * bytes are the payload) and moves the readerIndex back.
     *
     * @param sequence the 24-bit Sequence Number to send; used only if the session sends them
     * @throws IllegalArgumentException if the headroom is too small
     */
    public static void prepend(L2tpv3Session session, L2tpv3Encap encap, int sequence, ByteBuf packet) {
        int length = headerLength(session, encap);
        int start = packet.readerIndex() - length;
        if (start < 0) {
            throw new IllegalArgumentException("headroom " + packet.readerIndex() + " < L2TPv3 header " + length);
        }
        write(session, encap, sequence, packet, start);
        packet.readerIndex(start);
    }

    /** Appends the header to {@code out}; see {@link #prepend} for {@code sequence}. */
    public static void encode(L2tpv3Session session, L2tpv3Encap encap, int sequence, ByteBuf out) {
        int length = headerLength(session, encap);
        out.ensureWritable(length);
        write(session, encap, sequence, out, out.writerIndex());
        out.writerIndex(out.writerIndex() + length);
    }

    private static void write(L2tpv3Session session, L2tpv3Encap encap, int sequence, ByteBuf buf, int index) {
        int at = index;
        if (encap == L2tpv3Encap.UDP) {
            buf.setShort(at, L2tpv3Wire.UDP_DATA_FLAGS);
            buf.setShort(at + 2, 0);
            at += L2tpv3Wire.UDP_FLAGS_LENGTH;
        }
        buf.setInt(at, session.peerSessionId());
        at += L2tpv3Wire.SESSION_ID_LENGTH;
        for (int i = 0; i < session.cookieLength(); i++) {
            buf.setByte(at++, session.cookieByte(i));
        }
        if (session.sublayer() == L2SpecificSublayer.DEFAULT) {
            int word = session.sendSequence() ? L2tpv3Wire.SUBLAYER_S | (sequence & L2tpv3Wire.SEQUENCE_MASK) : 0;
            buf.setInt(at, word);
        }
    }

    /** Constant-time comparison: the time depends only on the cookie length. */
    private static boolean cookieMatches(ByteBuf packet, int index, L2tpv3Session session) {
        int diff = 0;
        for (int i = 0; i < session.peerCookieLength(); i++) {
            diff |= packet.getByte(index + i) ^ session.peerCookieByte(i);
        }
        return diff == 0;
    }

    private static L2tpv3DecodeResult drop(L2tpv3DropReason reason) {
        return L2tpv3DecodeResult.Dropped.of(reason);
    }
}
