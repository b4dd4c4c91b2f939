package io.warren.gateway.l2;

import io.netty.buffer.ByteBuf;
import io.warren.gateway.encap.gre.GreCodec;
import io.warren.gateway.encap.gre.GreDecodeResult;
import io.warren.gateway.encap.gre.GreDropReason;
import io.warren.gateway.encap.gre.GreHeader;
import io.warren.gateway.encap.gre.GreSequence;
import io.warren.gateway.encap.gre.GreWire;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * L2 GRE, Linux's "gretap": Ethernet frames behind a GRE header (RFC 2784 §2) whose Protocol Type is
 * Transparent Ethernet Bridging, 0x6558 (RFC 1701 §3.3's table, as used by Linux and Open vSwitch),
 * over IP protocol 47 or GRE-in-UDP (RFC 8086 §3.1 allows any GRE payload type). Key and Sequence
 * Number follow RFC 2890 §2 exactly as on an L3 GRE tunnel: the configured key is sent and required
 * (absent when none is configured); with sequencing, numbers are sent and received ones must be in
 * order ({@link GreSequence}, no reordering); a checksum (RFC 2784 §2.5) is sent when configured and
 * a received one is always verified. A GRE packet carrying IPv4 or IPv6 (an L3 GRE peer) is
 * rejected as {@code gre_not_ethernet}. Not thread-safe (sequence state): called under the tunnel's
 * lock.
 */
public final class GretapEncapsulation implements Encapsulation {
    private static final Map<GreDropReason, Rejected> REJECTED = new EnumMap<>(GreDropReason.class);

    static {
        for (GreDropReason r : GreDropReason.values()) {
            REJECTED.put(r, new Rejected("gre_" + r.name().toLowerCase(Locale.ROOT)));
        }
    }

    /** A valid GRE packet whose payload is not an Ethernet frame (IPv4 or IPv6 from an L3 tunnel). */
    public static final Rejected NOT_ETHERNET = new Rejected("gre_not_ethernet");
    /** Key absent, present when none is configured, or different (RFC 2890 §2.1). */
    public static final Rejected KEY_MISMATCH = new Rejected("gre_key_mismatch");
    /** Sequencing configured and the packet has no Sequence Number (RFC 2890 §2.2). */
    public static final Rejected SEQUENCE_MISSING = new Rejected("gre_sequence_missing");
    /** Sequence Number not after the last delivered one: duplicate or late (RFC 2890 §2.2). */
    public static final Rejected SEQUENCE_OLD = new Rejected("gre_sequence_old");
    /** Sequence Number too far ahead ({@link GreSequence}). */
    public static final Rejected SEQUENCE_TOO_FAR = new Rejected("gre_sequence_too_far");

    private final OptionalLong key;
    private final boolean sequence;
    /** The header of every frame; the sequence number is written per frame. */
    private final GreHeader header;
    private final GreSequence rxSequence = new GreSequence();
    /** Reused for every received packet (under the tunnel's lock). */
    private final GreDecodeResult.Decoded decoded = new GreDecodeResult.Decoded();
    private int txSequence;

    /**
     * @param key      the Key field sent and required, if any (0..2^32-1)
     * @param sequence send Sequence Numbers and require in-order ones
     * @param checksum send the checksum
     */
    public GretapEncapsulation(OptionalLong key, boolean sequence, boolean checksum) {
        GreHeader h = GreHeader.of(GreWire.PROTO_TEB);
        if (key.isPresent()) {
            h = h.withKey((int) key.getAsLong());
        }
        if (sequence) {
            h = h.withSequence(0);
        }
        if (checksum) {
            h = h.withChecksum();
        }
        this.header = h;
        this.key = key;
        this.sequence = sequence;
    }

    /** The configured key, if any. */
    public OptionalLong key() {
        return key;
    }

    @Override
    public int headerLength() {
        return header.length();
    }

    @Override
    public void prepend(ByteBuf frame) {
        GreCodec.prepend(header, sequence ? txSequence++ : 0, frame);
    }

    @Override
    public Result decapsulate(ByteBuf datagram) {
        int start = datagram.readerIndex();
        if (GreCodec.decode(datagram, decoded) instanceof GreDecodeResult.Dropped d) {
            return REJECTED.get(d.reason());
        }
        Rejected bad = check(decoded);
        if (bad != null) {
            datagram.readerIndex(start);
            return bad;
        }
        return Accepted.INSTANCE;
    }

    /** The tunnel's rules for a well-formed header; sequence last so no other drop advances it. */
    private Rejected check(GreDecodeResult.Decoded h) {
        if (h.protocolType() != GreWire.PROTO_TEB) {
            return NOT_ETHERNET;
        }
        if (h.keyPresent() != key.isPresent() || (h.keyPresent() && h.key() != (int) key.getAsLong())) {
            return KEY_MISMATCH;
        }
        if (!sequence) {
            return null;
        }
        if (!h.sequencePresent()) {
            return SEQUENCE_MISSING;
        }
        GreSequence.Verdict v = rxSequence.receive(h.sequence());
        if (v == GreSequence.Verdict.TOO_FAR_AHEAD) {
            return SEQUENCE_TOO_FAR;
        }
        return v.deliver() ? null : SEQUENCE_OLD;
    }
}
