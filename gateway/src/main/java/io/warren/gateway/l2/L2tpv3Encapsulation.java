package io.warren.gateway.l2;

import io.netty.buffer.ByteBuf;
import io.warren.gateway.encap.l2tpv3.L2tpv3Codec;
import io.warren.gateway.encap.l2tpv3.L2tpv3DecodeResult;
import io.warren.gateway.encap.l2tpv3.L2tpv3DropReason;
import io.warren.gateway.encap.l2tpv3.L2tpv3Encap;
import io.warren.gateway.encap.l2tpv3.L2tpv3Sequence;
import io.warren.gateway.encap.l2tpv3.L2tpv3Session;
import io.warren.gateway.encap.l2tpv3.L2tpv3Wire;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * An L2TPv3 Ethernet pseudowire (RFC 3931 §4.1 data messages, RFC 4719 Ethernet pseudowire type) for
 * one static session, like {@code ip l2tp add session ... l2spec_type default|none seq both}: the
 * header (Session ID, cookie, optional default L2-Specific Sublayer, RFC 3931 §4.6) over IP protocol
 * 115 or UDP. Received sequence numbers are checked as Linux does when the session requires them.
 * Not thread-safe (sequence state): called under the tunnel's lock.
 */
public final class L2tpv3Encapsulation implements Encapsulation {
    private static final Map<L2tpv3DropReason, Rejected> REJECTED = new EnumMap<>(L2tpv3DropReason.class);

    static {
        for (L2tpv3DropReason r : L2tpv3DropReason.values()) {
            REJECTED.put(r, new Rejected("l2tpv3_" + r.name().toLowerCase(Locale.ROOT)));
        }
    }

    /** A sequence number outside what the receive state accepts. */
    public static final Rejected OUT_OF_SEQUENCE = new Rejected("l2tpv3_out_of_sequence");

    private final L2tpv3Session session;
    private final L2tpv3Encap encap;
    private final L2tpv3Sequence sequence = new L2tpv3Sequence();
    /** Reused for every received datagram (under the tunnel's lock). */
    private final L2tpv3DecodeResult.Decoded decoded = new L2tpv3DecodeResult.Decoded();
    /** Our one session by Session ID; made once (a capturing lambda per datagram would allocate). */
    private final IntFunction<L2tpv3Session> lookup;

    public L2tpv3Encapsulation(L2tpv3Session session, L2tpv3Encap encap) {
        this.session = session;
        this.encap = encap;
        this.lookup = id -> id == session.sessionId() ? session : null;
    }

    public L2tpv3Session session() {
        return session;
    }

    public L2tpv3Encap encap() {
        return encap;
    }

    @Override
    public int headerLength() {
        return L2tpv3Codec.headerLength(session, encap);
    }

    @Override
    public void prepend(ByteBuf frame) {
        L2tpv3Codec.prepend(session, encap, session.sendSequence() ? sequence.nextSend() : 0, frame);
    }

    @Override
    public Result decapsulate(ByteBuf datagram) {
        int start = datagram.readerIndex();
        if (L2tpv3Codec.decode(datagram, encap, lookup, decoded) instanceof L2tpv3DecodeResult.Dropped d) {
            return REJECTED.get(d.reason());
        }
        L2tpv3DecodeResult.Decoded ok = decoded;
        if (ok.hasSequence() && session.requireSequence()) {
            L2tpv3Sequence.Verdict v = sequence.receive(ok.sequence());
            if (v == L2tpv3Sequence.Verdict.OUT_OF_SEQUENCE || v == L2tpv3Sequence.Verdict.OUT_OF_WINDOW) {
                datagram.readerIndex(start);
                return OUT_OF_SEQUENCE;
            }
        }
        return Accepted.INSTANCE;
    }

    /**
     * The Session ID a datagram claims, or -1 if it has none (too short, or a control message); for
     * demultiplexing sessions that share a socket.
     */
    public static long peekSessionId(ByteBuf datagram, L2tpv3Encap encap) {
        int at = datagram.readerIndex();
        int need = encap == L2tpv3Encap.UDP ? L2tpv3Wire.UDP_FLAGS_LENGTH + 4 : 4;
        if (datagram.readableBytes() < need) {
            return -1;
        }
        if (encap == L2tpv3Encap.UDP) {
            if ((datagram.getUnsignedShort(at) & L2tpv3Wire.FLAG_T) != 0) {
                return -1;
            }
            at += L2tpv3Wire.UDP_FLAGS_LENGTH;
        }
        return datagram.getUnsignedInt(at);
    }
}
