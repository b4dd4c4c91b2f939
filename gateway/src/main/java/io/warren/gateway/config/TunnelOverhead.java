package io.warren.gateway.config;

import io.warren.gateway.encap.l2tpv3.L2SpecificSublayer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes a tunnel adds to each inner packet: outer IP (20 IPv4, 40 IPv6), UDP (8) where the type
 * runs over UDP, the tunnel header, and for an L2 tunnel the inner Ethernet header (14; VLAN tags are
 * removed at the tunnel edge). The one place both {@code warren check} (a tunnel inside WireGuard must
 * fit the WireGuard interface's MTU) and the L2 tunnel factory (a TAP's {@code mtu} must fit the
 * underlay, since L2 overlays never fragment, RFC 7348 §4.3) do this arithmetic.
 *
 * <p>Tunnel headers: GRE 4 + key 4 + sequence 4 + checksum 4, each if used (RFC 2784 §2, RFC 2890
 * §2; in UDP, RFC 8086 §3); VXLAN 8 (RFC 7348 §5); L2TPv3 Session ID 4 + the cookie sent (0, 4 or 8)
 * + default L2-Specific Sublayer 4, plus flags/version/reserved 4 over UDP (RFC 3931 §4.1.2.1,
 * §4.1.2.2, §4.6).
 *
 * @param bytes   every byte added to an inner packet (L3) or frame payload (L2)
 * @param headers the headers counted, for messages: {@code "outer IP, UDP, VXLAN and Ethernet"}
 */
public record TunnelOverhead(int bytes, String headers) {
    static final int IPV4 = 20;
    static final int IPV6 = 40;
    static final int UDP = 8;
    static final int ETHERNET = 14;
    static final int GRE_BASE = 4;
    static final int GRE_OPTION = 4;
    static final int VXLAN = 8;
    static final int L2TPV3_UDP_FLAGS = 4;
    static final int L2TPV3_SESSION_ID = 4;
    static final int L2TPV3_SUBLAYER = 4;

    /** The overhead of {@code t} over an IPv6 ({@code ipv6Underlay}) or IPv4 underlay. */
    public static TunnelOverhead of(TunnelConfig t, boolean ipv6Underlay) {
        List<String> names = new ArrayList<>(List.of("outer IP"));
        int n = ipv6Underlay ? IPV6 : IPV4;
        boolean udp = t.type() != TunnelType.GRE && !(t.params() instanceof TunnelParams.L2tpv3 l && !l.overUdp());
        if (udp) {
            n += UDP;
            names.add("UDP");
        }
        TunnelParams p = t.params();
        if (p instanceof TunnelParams.Gre g) {
            n += gre(g.key().isPresent(), g.sequence(), g.checksum());
        } else if (p instanceof TunnelParams.GreUdp g) {
            n += gre(g.key().isPresent(), g.sequence(), g.checksum());
        } else if (p instanceof TunnelParams.Vxlan) {
            n += VXLAN;
        } else {
            TunnelParams.L2tpv3 l = (TunnelParams.L2tpv3) p;
            n += (l.overUdp() ? L2TPV3_UDP_FLAGS : 0) + L2TPV3_SESSION_ID + l.remoteCookie().length()
                    + (l.sublayer() == L2SpecificSublayer.DEFAULT ? L2TPV3_SUBLAYER : 0);
        }
        names.add(t.type() == TunnelType.VXLAN ? "VXLAN" : t.type() == TunnelType.L2TPV3 ? "L2TPv3" : "GRE");
        if (t.layer2()) {
            n += ETHERNET;
            names.add("Ethernet");
        }
        String last = names.remove(names.size() - 1);
        return new TunnelOverhead(n, String.join(", ", names) + " and " + last);
    }

    private static int gre(boolean key, boolean sequence, boolean checksum) {
        return GRE_BASE + (key ? GRE_OPTION : 0) + (sequence ? GRE_OPTION : 0) + (checksum ? GRE_OPTION : 0);
    }

    /** The largest tunnel MTU a carrier (underlay or WireGuard interface) of {@code carrierMtu} takes. */
    public int fits(int carrierMtu) {
        return carrierMtu - bytes;
    }

    /** The sum for messages: {@code "1420 - 42 bytes of outer IP, GRE and Ethernet headers = 1378"}. */
    public String arithmetic(int carrierMtu) {
        return carrierMtu + " - " + bytes + " bytes of " + headers + " headers = " + fits(carrierMtu);
    }
}
