package io.warren.tun.link;

import static io.warren.tun.link.Rtnetlink.*;

import java.nio.ByteOrder;

/**
 * Encodes the rtnetlink requests of {@link LinkConfigurator} (rtnetlink(7); RFC 3549 section 3.1).
 * Every request carries {@code NLM_F_REQUEST | NLM_F_ACK} so the kernel always answers with an
 * {@code NLMSG_ERROR} (error 0 = success). Links are addressed by name ({@code IFLA_IFNAME} with
 * {@code ifi_index} 0) or by index. Sans-I/O: returns bytes, sends nothing. Arguments a caller got wrong
 * (name too long, prefix out of range) throw {@link IllegalArgumentException}.
 */
final class RtnetlinkRequests {
    private static final int REQUEST_ACK = NLM_F_REQUEST | NLM_F_ACK;

    private RtnetlinkRequests() {
    }

    /** RTM_GETLINK for one link by name; the kernel answers RTM_NEWLINK then the ack. */
    static byte[] getLink(int seq, String name, ByteOrder order) {
        return ifinfo(RTM_GETLINK, REQUEST_ACK, seq, 0, 0, 0, order).attrString(IFLA_IFNAME, checkName(name)).build();
    }

    /** RTM_SETLINK changing only IFF_UP (ifi_change = IFF_UP), link by name. */
    static byte[] setUp(int seq, String name, boolean up, ByteOrder order) {
        return ifinfo(RTM_SETLINK, REQUEST_ACK, seq, 0, up ? IFF_UP : 0, IFF_UP, order)
                .attrString(IFLA_IFNAME, checkName(name)).build();
    }

    /** RTM_SETLINK with IFLA_MTU, link by name. */
    static byte[] setMtu(int seq, String name, int mtu, ByteOrder order) {
        return ifinfo(RTM_SETLINK, REQUEST_ACK, seq, 0, 0, 0, order)
                .attrString(IFLA_IFNAME, checkName(name)).attrU32(IFLA_MTU, mtu).build();
    }

    /**
     * RTM_SETLINK setting {@code net.ipv4.conf.NAME.forwarding}: IFLA_AF_SPEC { AF_INET {
     * IFLA_INET_CONF { IPV4_DEVCONF_FORWARDING: u32 } } } (the kernel's inet_set_link_af), link by name.
     */
    static byte[] setIpv4Forwarding(int seq, String name, boolean on, ByteOrder order) {
        NetlinkMessageBuilder b = ifinfo(RTM_SETLINK, REQUEST_ACK, seq, 0, 0, 0, order)
                .attrString(IFLA_IFNAME, checkName(name));
        int spec = b.beginNest(IFLA_AF_SPEC);
        int inet = b.beginNest(AF_INET);
        int conf = b.beginNest(IFLA_INET_CONF);
        b.attrU32(IPV4_DEVCONF_FORWARDING, on ? 1 : 0);
        return b.endNest(conf).endNest(inet).endNest(spec).build();
    }

    /**
     * RTM_NEWADDR ({@code NLM_F_CREATE | NLM_F_EXCL}, like {@code ip addr add}) with IFA_LOCAL and
     * IFA_ADDRESS both the address; IPv6 addresses get IFA_F_NODAD so they are usable at once.
     *
     * @param address 4 or 16 bytes, network order
     */
    static byte[] newAddress(int seq, int ifindex, byte[] address, int prefixLen, ByteOrder order) {
        return address(RTM_NEWADDR, REQUEST_ACK | NLM_F_CREATE | NLM_F_EXCL, seq, ifindex, address, prefixLen, order);
    }

    /** RTM_DELADDR for the address added by {@link #newAddress}. */
    static byte[] deleteAddress(int seq, int ifindex, byte[] address, int prefixLen, ByteOrder order) {
        return address(RTM_DELADDR, REQUEST_ACK, seq, ifindex, address, prefixLen, order);
    }

    /**
     * RTM_NEWROUTE ({@code NLM_F_CREATE | NLM_F_EXCL}, like {@code ip route add DST dev DEV metric M}):
     * main table, protocol static, unicast, scope link for IPv4 (no gateway), RTA_DST (omitted for a
     * default route), RTA_OIF, RTA_PRIORITY.
     *
     * @param dst destination network, 4 or 16 bytes, network order
     */
    static byte[] newRoute(int seq, byte[] dst, int prefixLen, int oif, int metric, ByteOrder order) {
        int family = family(dst);
        int scope = family == AF_INET ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
        return route(RTM_NEWROUTE, REQUEST_ACK | NLM_F_CREATE | NLM_F_EXCL, seq, dst, prefixLen, oif, metric,
                scope, order);
    }

    /** RTM_DELROUTE matching destination, device and metric (scope RT_SCOPE_NOWHERE matches any scope). */
    static byte[] deleteRoute(int seq, byte[] dst, int prefixLen, int oif, int metric, ByteOrder order) {
        return route(RTM_DELROUTE, REQUEST_ACK, seq, dst, prefixLen, oif, metric, RT_SCOPE_NOWHERE, order);
    }

    private static NetlinkMessageBuilder ifinfo(int type, int flags, int seq, int index, int ifiFlags, int change,
                                                ByteOrder order) {
        return new NetlinkMessageBuilder(type, flags, seq, order)
                .u8(AF_UNSPEC).u8(0).u16(0) // ifi_family, pad, ifi_type
                .u32(index).u32(ifiFlags).u32(change);
    }

    private static byte[] address(int type, int flags, int seq, int ifindex, byte[] address, int prefixLen,
                                  ByteOrder order) {
        int family = family(address);
        checkPrefix(address, prefixLen);
        checkIndex(ifindex);
        return new NetlinkMessageBuilder(type, flags, seq, order)
                .u8(family).u8(prefixLen).u8(family == AF_INET6 ? IFA_F_NODAD : 0).u8(addressScope(address))
                .u32(ifindex)
                .attr(IFA_LOCAL, address)
                .attr(IFA_ADDRESS, address)
                .build();
    }

    private static byte[] route(int type, int flags, int seq, byte[] dst, int prefixLen, int oif, int metric,
                                int scope, ByteOrder order) {
        int family = family(dst);
        checkPrefix(dst, prefixLen);
        checkIndex(oif);
        if (metric < 0) {
            throw new IllegalArgumentException("metric must be >= 0: " + metric);
        }
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(type, flags, seq, order)
                .u8(family).u8(prefixLen).u8(0).u8(0) // family, dst_len, src_len, tos
                .u8(RT_TABLE_MAIN).u8(RTPROT_STATIC).u8(scope).u8(RTN_UNICAST)
                .u32(0); // rtm_flags
        if (prefixLen > 0) {
            b.attr(RTA_DST, dst);
        }
        return b.attrU32(RTA_OIF, oif).attrU32(RTA_PRIORITY, metric).build();
    }

    /** iproute2's default scope: host for loopback, link for IPv6 link-local, otherwise universe. */
    static int addressScope(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xFF) == 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
        }
        boolean loopback = a[15] == 1;
        for (int i = 0; i < 15 && loopback; i++) {
            loopback = a[i] == 0;
        }
        if (loopback) {
            return RT_SCOPE_HOST;
        }
        return (a[0] & 0xFF) == 0xFE && (a[1] & 0xC0) == 0x80 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
    }

    static int family(byte[] address) {
        if (address.length == 4) {
            return AF_INET;
        }
        if (address.length == 16) {
            return AF_INET6;
        }
        throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + address.length);
    }

    static String checkName(String name) {
        if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= IFNAMSIZ
                || name.indexOf('/') >= 0 || name.indexOf(0) >= 0) {
            throw new IllegalArgumentException("not a valid interface name (1-15 bytes, no '/' or NUL): " + name);
        }
        return name;
    }

    private static void checkPrefix(byte[] address, int prefixLen) {
        if (prefixLen < 0 || prefixLen > address.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLen + " out of range for a "
                    + address.length * 8 + "-bit address");
        }
    }

    private static void checkIndex(int ifindex) {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("interface index must be positive: " + ifindex);
        }
    }
}
