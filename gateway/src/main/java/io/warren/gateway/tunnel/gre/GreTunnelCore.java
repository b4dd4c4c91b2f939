package io.warren.gateway.tunnel.gre;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warren.gateway.encap.gre.GreCodec;
import io.warren.gateway.encap.gre.GreDecodeResult;
import io.warren.gateway.encap.gre.GreHeader;
import io.warren.gateway.encap.gre.GreSequence;
import io.warren.gateway.encap.gre.GreWire;
import io.warren.gateway.packet.IcmpErrorResult;
import io.warren.gateway.packet.IcmpErrors;
import io.warren.gateway.packet.IcmpRateLimiter;
import io.warren.gateway.packet.IpCheck;
import io.warren.gateway.packet.Ipv4Fragmenter;
import io.warren.gateway.packet.Ipv4Header;
import io.warren.gateway.packet.Ipv6Header;
import io.warren.gateway.packet.MssClamp;
import io.warren.routing.Route;
import io.warren.routing.RouteTable;
import io.warren.routing.RouteTarget;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The sans-I/O data path of one L3 GRE / GRE-in-UDP tunnel. The shell reads inner packets from
 * the TUN device and calls {@link #outbound}; it strips the outer IP (and UDP) header of received
 * packets and calls {@link #inbound}; it performs whatever {@link GreResult} says.
 *
 * <p>Outbound: 1. the inner IP header is checked; 2. TTL 0 and packets to a tunnel endpoint
 * (loops) are dropped; 3. a blackhole route drops; 4. a packet above the tunnel MTU gets ICMP
 * frag-needed (IPv4 with DF, RFC 1191 §4) or packet-too-big (IPv6, RFC 4443 §3.2) back into the
 * TUN, rate limited, or is fragmented (IPv4 without DF, RFC 791 §3.2); 5. a TCP SYN's MSS is
 * clamped; 6. the GRE header (RFC 2784 §2, key and sequence RFC 2890 §2) is written into the
 * headroom. Inbound: GRE decode; key and sequence checks; inner IP check; TTL; MSS clamp; deliver.
 *
 * <p>Inner packets normally never exceed the tunnel MTU: the TUN device's MTU equals it, so the
 * kernel answers LAN hosts with its own ICMP and does PMTU discovery for local sockets. Step 4 only
 * acts when the TUN MTU was configured above the tunnel MTU. Outer packets are sent with the
 * underlay's default (PMTU "want"): the kernel fragments an outer packet if the path MTU shrank.
 *
 * <p>TTL: the kernel decrements the inner TTL when it forwards into and out of the TUN device, so
 * each gateway is one hop; the core never changes it, and the outer TTL is the underlay default.
 *
 * <p>Threading: {@link #outbound} from one thread (the TUN reader) and {@link #inbound} from one
 * thread (the underlay receiver); they share only the lock-free counters and the route table.
 */
public final class GreTunnelCore {
    /** ICMP errors per second and burst (RFC 1812 §4.3.2.8). */
    static final int ICMP_RATE = 100;
    static final int ICMP_BURST = 20;

    private final GreTunnelSettings settings;
    private final ByteBufAllocator alloc;
    private final RouteTable routes;
    private final GreCounters counters = new GreCounters();
    private final IcmpRateLimiter icmpLimiter = new IcmpRateLimiter(ICMP_RATE, ICMP_BURST);
    private final GreSequence rxSequence = new GreSequence();
    private final byte[] remote;
    private final byte[] local;
    /** {@link #remote} as an int when it is IPv4 (read per packet by {@link #isEndpoint}). */
    private final int remoteV4;
    /** {@link #local} as an int when it is IPv4. */
    private final int localV4;
    /** The GRE header for IPv4 and IPv6 payloads; the sequence number (if any) is written per packet. */
    private final GreHeader headerV4;
    private final GreHeader headerV6;
    private final byte[] scratch16 = new byte[16];
    private final byte[] icmpSource16 = new byte[16];
    /** Reused results and decode state: see {@link GreResult} (outbound and inbound each their own). */
    private final GreResult.Send sent = new GreResult.Send();
    private final GreResult.Deliver delivered = new GreResult.Deliver();
    private final GreDecodeResult.Decoded decoded = new GreDecodeResult.Decoded();
    private int txSequence;
    private int icmpId;

    /**
     * @param routes the gateway's route table ({@link RoutePlan}); consulted for blackhole routes
     */
    public GreTunnelCore(GreTunnelSettings settings, ByteBufAllocator alloc, RouteTable routes) {
        this.settings = settings;
        this.alloc = alloc;
        this.routes = routes;
        this.remote = settings.remote().getAddress();
        this.local = settings.local() == null ? null : settings.local().getAddress();
        this.remoteV4 = remote.length == 4 ? ByteBuffer.wrap(remote).getInt() : 0;
        this.localV4 = local != null && local.length == 4 ? ByteBuffer.wrap(local).getInt() : 0;
        this.headerV4 = baseHeader(settings, GreWire.PROTO_IPV4);
        this.headerV6 = baseHeader(settings, GreWire.PROTO_IPV6);
    }

    /** The header of {@code protocolType} payloads with the key, sequence and checksum flags. */
    private static GreHeader baseHeader(GreTunnelSettings settings, int protocolType) {
        GreHeader h = GreHeader.of(protocolType);
        if (settings.key().isPresent()) {
            h = h.withKey((int) settings.key().getAsLong());
        }
        if (settings.sequence()) {
            h = h.withSequence(0);
        }
        return settings.checksum() ? h.withChecksum() : h;
    }

    public GreTunnelSettings settings() {
        return settings;
    }

    public GreCounters counters() {
        return counters;
    }

    /** GRE header bytes this tunnel prepends. */
    public int greHeaderLength() {
        return 4 + (settings.key().isPresent() ? 4 : 0) + (settings.sequence() ? 4 : 0) + (settings.checksum() ? 4 : 0);
    }

    // ---- outbound ---------------------------------------------------------------------------

    /**
     * Encapsulates the inner packet readable in {@code inner}, which needs at least
     * {@link #greHeaderLength()} bytes of headroom before its readerIndex.
     */
    public GreResult outbound(ByteBuf inner, long now) {
        int at = inner.readerIndex();
        int len = inner.readableBytes();
        int version = len > 0 ? inner.getUnsignedByte(at) >>> 4 : 0;
        boolean v6;
        if (version == 4 && Ipv4Header.check(inner, at) == IpCheck.VALID) {
            v6 = false;
            if (Ipv4Header.ttl(inner, at) == 0) {
                return drop(GreDrop.OUTBOUND_TTL_EXPIRED);
            }
        } else if (version == 6 && Ipv6Header.check(inner, at) == IpCheck.VALID) {
            v6 = true;
            if (Ipv6Header.hopLimit(inner, at) == 0) {
                return drop(GreDrop.OUTBOUND_TTL_EXPIRED);
            }
        } else {
            return drop(GreDrop.OUTBOUND_MALFORMED);
        }
        // The inner packet's own length (the buffer may carry trailing bytes past it).
        int ipLength = v6 ? Ipv6Header.LENGTH + Ipv6Header.payloadLength(inner, at) : Ipv4Header.totalLength(inner, at);
        inner.writerIndex(at + ipLength);
        if (isEndpoint(inner, at, v6)) {
            return drop(GreDrop.OUTBOUND_LOOP);
        }
        if (isBlackholed(inner, at, v6)) {
            return drop(GreDrop.BLACKHOLE);
        }
        if (ipLength > settings.tunnelMtu()) {
            return tooBig(inner, at, v6, now);
        }
        clamp(inner, v6);
        return sent.set(encapsulate(inner, v6));
    }

    private GreResult tooBig(ByteBuf inner, int at, boolean v6, long now) {
        if (!v6 && !Ipv4Header.dontFragment(inner, at)) {
            Ipv4Fragmenter.Result r = Ipv4Fragmenter.fragment(alloc, inner, settings.tunnelMtu());
            if (r instanceof Ipv4Fragmenter.Result.Fragments f) {
                List<ByteBuf> out = new ArrayList<>(f.fragments().size());
                for (ByteBuf frag : f.fragments()) {
                    ByteBuf gre = alloc.directBuffer(greHeaderLength() + frag.readableBytes());
                    GreCodec.encode(header(false), frag, gre); // a copy per fragment: fragments are rare
                    frag.release();
                    out.add(gre);
                    count(gre);
                }
                counters.add(GreCounters.Traffic.FRAGMENTED, 1);
                return new GreResult.SendAll(out);
            }
            return drop(GreDrop.OUTBOUND_MALFORMED);
        }
        counters.drop(GreDrop.TOO_BIG);
        if (!icmpLimiter.tryAcquire(now)) {
            return drop(GreDrop.TOO_BIG_NO_ICMP);
        }
        IcmpErrorResult icmp = null; // stays null when there is no address the error may come from
        if (v6) {
            byte[] source = icmpSourceV6(inner, at);
            if (source != null) {
                icmp = IcmpErrors.packetTooBig(alloc, inner, source, settings.tunnelMtu());
            }
        } else {
            int source = icmpSourceV4(inner, at);
            if (IcmpErrors.isUnicastV4(source)) {
                icmp = IcmpErrors.fragmentationNeeded(alloc, inner, source, settings.tunnelMtu(), (icmpId++) & 0xFFFF);
            }
        }
        if (icmp instanceof IcmpErrorResult.Built b) {
            counters.add(GreCounters.Traffic.ICMP_TOO_BIG_SENT, 1);
            return new GreResult.ReplyToTun(b.packet());
        }
        return drop(GreDrop.TOO_BIG_NO_ICMP);
    }

    /**
     * The error's source: our local endpoint if it is of the inner family, else the inner
     * destination (the address the sender was trying to reach). The caller sends no error when
     * that is no unicast address (RFC 1812 §4.3.2.4: never from 0/8, 127/8, multicast or broadcast).
     */
    private int icmpSourceV4(ByteBuf inner, int at) {
        return local != null && local.length == 4 ? localV4 : Ipv4Header.destination(inner, at);
    }

    /**
     * As {@link #icmpSourceV4}, in a reused array; {@code null} when the inner destination would be
     * the source and is multicast (a Packet Too Big may answer a multicast packet, RFC 4443 §2.4
     * (e.3), but its source must be a unicast address, §2.2), unspecified or loopback.
     */
    private byte[] icmpSourceV6(ByteBuf inner, int at) {
        if (local != null && local.length == 16) {
            return local;
        }
        byte[] dst = icmpSource16;
        Ipv6Header.destination(inner, at, dst);
        if ((dst[0] & 0xff) == 0xff) {
            return null;
        }
        int nonZero = 0;
        for (int i = 0; i < 15; i++) {
            nonZero |= dst[i];
        }
        return nonZero == 0 && (dst[15] == 0 || dst[15] == 1) ? null : dst;
    }

    private ByteBuf encapsulate(ByteBuf inner, boolean v6) {
        GreCodec.prepend(v6 ? headerV6 : headerV4, settings.sequence() ? txSequence++ : 0, inner);
        count(inner);
        return inner;
    }

    private GreHeader header(boolean v6) {
        GreHeader h = v6 ? headerV6 : headerV4;
        return settings.sequence() ? h.withSequence(txSequence++) : h;
    }

    private void count(ByteBuf gre) {
        counters.add(GreCounters.Traffic.TX_PACKETS, 1);
        counters.add(GreCounters.Traffic.TX_BYTES, gre.readableBytes());
    }

    // ---- inbound ----------------------------------------------------------------------------

    /**
     * Decapsulates the GRE packet readable in {@code gre} (outer headers already removed). On
     * {@link GreResult.Deliver} the readerIndex points at the inner packet.
     */
    public GreResult inbound(ByteBuf gre) {
        if (GreCodec.decode(gre, decoded) instanceof GreDecodeResult.Dropped dropped) {
            return drop(GreDrop.of(dropped.reason()));
        }
        GreDecodeResult.Decoded h = decoded;
        boolean v6;
        if (h.protocolType() == GreWire.PROTO_IPV4) {
            v6 = false;
        } else if (h.protocolType() == GreWire.PROTO_IPV6) {
            v6 = true;
        } else {
            return drop(GreDrop.GRE_UNKNOWN_PROTOCOL);
        }
        if (h.keyPresent() != settings.key().isPresent()
                || (h.keyPresent() && h.key() != (int) settings.key().getAsLong())) {
            return drop(GreDrop.KEY_MISMATCH);
        }
        if (settings.sequence() && !h.sequencePresent()) {
            return drop(GreDrop.SEQUENCE_MISSING);
        }
        int at = gre.readerIndex();
        IpCheck check = v6 ? Ipv6Header.check(gre, at) : Ipv4Header.check(gre, at);
        if (check != IpCheck.VALID) {
            return drop(GreDrop.INNER_MALFORMED);
        }
        int ttl = v6 ? Ipv6Header.hopLimit(gre, at) : Ipv4Header.ttl(gre, at);
        if (ttl == 0) {
            return drop(GreDrop.INNER_TTL_EXPIRED);
        }
        gre.writerIndex(at + (v6 ? Ipv6Header.LENGTH + Ipv6Header.payloadLength(gre, at) : Ipv4Header.totalLength(gre, at)));
        if (isEndpoint(gre, at, v6)) {
            return drop(GreDrop.INNER_LOOP);
        }
        if (isBlackholed(gre, at, v6)) {
            return drop(GreDrop.BLACKHOLE);
        }
        // Last, so that no packet dropped for another reason advances the receive state.
        if (settings.sequence()) {
            GreSequence.Verdict v = rxSequence.receive(h.sequence());
            if (v == GreSequence.Verdict.TOO_FAR_AHEAD) {
                return drop(GreDrop.SEQUENCE_TOO_FAR);
            } else if (!v.deliver()) {
                return drop(GreDrop.SEQUENCE_OLD);
            }
        }
        clamp(gre, v6);
        counters.add(GreCounters.Traffic.RX_PACKETS, 1);
        counters.add(GreCounters.Traffic.RX_BYTES, gre.readableBytes());
        return delivered.set(gre);
    }

    /** Records an outer packet the shell could not even hand to {@link #inbound}. */
    public void outerMalformed() {
        counters.drop(GreDrop.OUTER_MALFORMED);
    }

    // ---- shared -----------------------------------------------------------------------------

    /** True when the packet's destination is the remote tunnel endpoint (GRE in its own tunnel). */
    private boolean isEndpoint(ByteBuf pkt, int at, boolean v6) {
        if (v6 != (remote.length == 16)) {
            return false;
        }
        if (!v6) {
            return Ipv4Header.destination(pkt, at) == remoteV4;
        }
        Ipv6Header.destination(pkt, at, scratch16);
        return java.util.Arrays.equals(scratch16, remote);
    }

    private boolean isBlackholed(ByteBuf pkt, int at, boolean v6) {
        if (routes == null || routes.prefixCount() == 0) {
            return false;
        }
        Route r;
        if (!v6) {
            r = routes.lookupV4(Ipv4Header.destination(pkt, at));
        } else {
            r = routes.lookupV6(pkt.getLong(at + 24), pkt.getLong(at + 32));
        }
        return r != null && r.target() instanceof RouteTarget.Blackhole;
    }

    private void clamp(ByteBuf pkt, boolean v6) {
        if (settings.mssClamp() && MssClamp.clamp(pkt, settings.maxMss(v6)) == MssClamp.Outcome.CLAMPED) {
            counters.add(GreCounters.Traffic.MSS_CLAMPED, 1);
        }
    }

    private GreResult drop(GreDrop reason) {
        counters.drop(reason);
        return GreResult.Drop.of(reason);
    }
}
