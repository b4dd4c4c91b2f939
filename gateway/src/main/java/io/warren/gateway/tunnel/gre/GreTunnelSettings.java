package io.warren.gateway.tunnel.gre;

import io.warren.gateway.config.TunnelConfig;
import io.warren.gateway.config.TunnelParams;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.OptionalLong;

/**
 * Everything the sans-I/O core needs about one L3 GRE or GRE-in-UDP tunnel, resolved from its
 * {@code [tunnel.NAME]} and the underlay.
 *
 * <p>MTU arithmetic (the largest inner packet that fits one outer packet on the underlay):
 * {@code tunnelMtu = underlayMtu - outer IP (20 IPv4 / 40 IPv6) - [UDP 8, GRE-in-UDP] - GRE 4
 * - [key 4] - [sequence 4] - [checksum 4]}. E.g. a 1500 underlay, IPv4, keyed: 1472; a 1280
 * underlay, IPv4, plain GRE: 1256.
 *
 * @param name       tunnel and TUN device name
 * @param overUdp    GRE-in-UDP (RFC 8086) instead of IP protocol 47
 * @param key        the Key field sent and required on receipt, if any (RFC 2890 §2.1)
 * @param sequence   send Sequence Numbers and require in-order ones on receipt (RFC 2890 §2.2)
 * @param checksum   send the GRE checksum (RFC 2784 §2.5); a received one is always verified
 * @param tunnelMtu  largest inner packet sent as one outer packet
 * @param mssClamp   clamp the MSS of forwarded TCP SYNs to fit {@code tunnelMtu}
 * @param mssCeiling a configured MSS ceiling below what fits ({@code mss-clamp = N}), 0 for none
 * @param local      local underlay address (the ICMP error source and loop check), may be null
 * @param remote     remote underlay address
 */
public record GreTunnelSettings(String name, boolean overUdp, OptionalLong key, boolean sequence, boolean checksum,
                                int tunnelMtu, boolean mssClamp, int mssCeiling, InetAddress local,
                                InetAddress remote) {

    public GreTunnelSettings {
        if (tunnelMtu < 68) {
            throw new IllegalArgumentException("tunnel MTU below 68: " + tunnelMtu);
        }
        if (mssCeiling < 0 || (mssCeiling > 0 && !mssClamp)) {
            throw new IllegalArgumentException("MSS ceiling " + mssCeiling + " without clamping");
        }
    }

    /** Settings without an MSS ceiling. */
    public GreTunnelSettings(String name, boolean overUdp, OptionalLong key, boolean sequence, boolean checksum,
                             int tunnelMtu, boolean mssClamp, InetAddress local, InetAddress remote) {
        this(name, overUdp, key, sequence, checksum, tunnelMtu, mssClamp, 0, local, remote);
    }

    /** Outer bytes added per packet: IP + [UDP] + GRE with its optional fields. */
    public static int overhead(boolean ipv6Underlay, boolean overUdp, boolean key, boolean sequence, boolean checksum) {
        return (ipv6Underlay ? 40 : 20) + (overUdp ? 8 : 0) + 4 + (key ? 4 : 0) + (sequence ? 4 : 0) + (checksum ? 4 : 0);
    }

    /**
     * Settings for {@code config} (type gre or gre-udp, layer 3) on an underlay whose path MTU
     * toward {@code remote} is {@code underlayMtu}. The configured {@code mtu}, if any, is the TUN
     * device's MTU; the core still fragments or answers with ICMP for anything above the
     * computed tunnel MTU. {@code mssClampDefault} applies when the tunnel's {@code mss-clamp} is
     * left at its default ({@code true}); {@code false} or a ceiling in the config win.
     *
     * <p>For a tunnel inside WireGuard ({@code encrypted-via}) {@code underlayMtu} is the path MTU
     * toward the peer's tunnel address, i.e. the WireGuard device's MTU, which already leaves room
     * for WireGuard's outer IP, UDP and 32 bytes of message header and tag: both overheads count.
     */
    public static GreTunnelSettings from(TunnelConfig config, InetAddress local, InetAddress remote, int underlayMtu,
                                         boolean mssClampDefault) {
        OptionalLong key;
        boolean seq;
        boolean csum;
        boolean udp;
        TunnelParams.MssClamp mss;
        if (config.params() instanceof TunnelParams.Gre g) {
            key = g.key();
            seq = g.sequence();
            csum = g.checksum();
            udp = false;
            mss = g.mssClamp();
        } else if (config.params() instanceof TunnelParams.GreUdp u) {
            key = u.key();
            seq = u.sequence();
            csum = u.checksum();
            udp = true;
            mss = u.mssClamp();
        } else {
            throw new IllegalArgumentException(config.name() + ": not a GRE tunnel");
        }
        int mtu = underlayMtu - overhead(!(remote instanceof Inet4Address), udp, key.isPresent(), seq, csum);
        boolean clamp = mss.ceiling() > 0 || (mss.enabled() && mssClampDefault);
        return new GreTunnelSettings(config.name(), udp, key, seq, csum, mtu, clamp, mss.ceiling(), local, remote);
    }

    /**
     * The MSS that makes a TCP segment fit: tunnel MTU minus IP and TCP headers (RFC 9293 §3.7.1),
     * or the configured ceiling when that is lower.
     */
    public int maxMss(boolean ipv6) {
        int fits = tunnelMtu - (ipv6 ? 60 : 40);
        return mssCeiling > 0 ? Math.min(fits, mssCeiling) : fits;
    }
}
