package io.warren.gateway.l2;

import io.netty.buffer.ByteBuf;
import io.warren.gateway.encap.vxlan.ReservedBits;
import io.warren.gateway.encap.vxlan.VxlanCodec;
import io.warren.gateway.encap.vxlan.VxlanDecodeResult;
import io.warren.gateway.encap.vxlan.VxlanDropReason;
import io.warren.gateway.encap.vxlan.VxlanHeader;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * VXLAN (RFC 7348 §5) for one VNI: the 8-byte header with the I flag; received headers must carry
 * the I flag and this VNI; reserved bits are ignored ({@link ReservedBits#IGNORE}, the RFC's rule)
 * or rejected ({@link ReservedBits#STRICT}, Linux's behaviour). Stateless apart from configuration.
 */
public final class VxlanEncapsulation implements Encapsulation {
    private static final Map<VxlanDropReason, Rejected> REJECTED = new EnumMap<>(VxlanDropReason.class);

    static {
        for (VxlanDropReason r : VxlanDropReason.values()) {
            REJECTED.put(r, new Rejected("vxlan_" + r.name().toLowerCase(Locale.ROOT)));
        }
    }

    /** Counter name of a datagram for another VNI. */
    public static final Rejected WRONG_VNI = new Rejected("vxlan_wrong_vni");

    private final int vni;
    private final ReservedBits reservedBits;
    private final VxlanHeader header;
    /** Reused for every received datagram (under the tunnel's lock). */
    private final VxlanDecodeResult.Decoded decoded = new VxlanDecodeResult.Decoded();

    public VxlanEncapsulation(int vni, ReservedBits reservedBits) {
        this.header = VxlanHeader.of(vni);
        this.vni = vni;
        this.reservedBits = reservedBits;
    }

    public int vni() {
        return vni;
    }

    @Override
    public int headerLength() {
        return VxlanHeader.LENGTH;
    }

    @Override
    public void prepend(ByteBuf frame) {
        VxlanCodec.prepend(header, frame);
    }

    @Override
    public Result decapsulate(ByteBuf datagram) {
        int start = datagram.readerIndex();
        if (VxlanCodec.decode(datagram, reservedBits, decoded) instanceof VxlanDecodeResult.Dropped d) {
            return REJECTED.get(d.reason());
        }
        if (decoded.vni() != vni) {
            datagram.readerIndex(start);
            return WRONG_VNI;
        }
        return Accepted.INSTANCE;
    }

    /** The VNI a datagram claims (bytes 4..6), or -1 if it is too short to say; for demultiplexing. */
    public static long peekVni(ByteBuf datagram) {
        if (datagram.readableBytes() < VxlanHeader.LENGTH) {
            return -1;
        }
        return datagram.getUnsignedMedium(datagram.readerIndex() + 4);
    }
}
