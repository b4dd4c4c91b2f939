package io.warren.tun.link;

/**
 * Every rtnetlink wire constant and struct size this package uses, named as in the kernel headers
 * (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h, linux/socket.h). Values are
 * the Linux ABI; structs are in host byte order, addresses in network byte order.
 */
final class Rtnetlink {
    private Rtnetlink() {
    }

    // ---- sockets (linux/socket.h, linux/netlink.h) ----
    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_ROUTE = 0;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;
    static final int SOL_NETLINK = 270;
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_EXT_ACK = 11;
    static final int MSG_TRUNC = 0x20;
    /** struct sockaddr_nl: nl_family u16, nl_pad u16, nl_pid u32, nl_groups u32. */
    static final int SOCKADDR_NL_SIZE = 12;

    // ---- struct nlmsghdr (netlink.h) ----
    static final int NLMSG_ALIGNTO = 4;
    /** nlmsg_len u32, nlmsg_type u16, nlmsg_flags u16, nlmsg_seq u32, nlmsg_pid u32. */
    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;

    static final int NLM_F_REQUEST = 0x01;
    static final int NLM_F_MULTI = 0x02;
    static final int NLM_F_ACK = 0x04;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    /** Flags of an NLMSG_ERROR ack: request payload omitted / extended-ack TLVs follow. */
    static final int NLM_F_CAPPED = 0x100;
    static final int NLM_F_ACK_TLVS = 0x200;

    /** struct nlmsgerr: error s32 followed by the offending request's nlmsghdr. */
    static final int NLMSGERR_SIZE = 4 + NLMSG_HDRLEN;
    static final int NLMSGERR_ATTR_MSG = 1;

    // ---- rtattr (rtnetlink.h) ----
    /** rta_len u16, rta_type u16. */
    static final int RTA_HDRLEN = 4;
    static final int NLA_TYPE_MASK = 0x3FFF;

    // ---- message types (rtnetlink.h) ----
    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int RTM_SETLINK = 19;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;

    // ---- struct ifinfomsg (rtnetlink.h) and IFLA_* (if_link.h) ----
    /** ifi_family u8, pad u8, ifi_type u16, ifi_index s32, ifi_flags u32, ifi_change u32. */
    static final int IFINFOMSG_SIZE = 16;
    static final int IFF_UP = 0x1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    /** Per address family link data, nested by family (AF_INET, AF_INET6). */
    static final int IFLA_AF_SPEC = 26;
    /** Inside IFLA_AF_SPEC/AF_INET: the IPv4 devconf (net.ipv4.conf.DEV.*). */
    static final int IFLA_INET_CONF = 1;
    /**
     * IPV4_DEVCONF_FORWARDING (linux/ip.h): index 1. In an RTM_NEWLINK reply IFLA_INET_CONF is an
     * array of u32 where entry i holds devconf i + 1; in RTM_SETLINK it nests one u32 per devconf,
     * the attribute type being the devconf index.
     */
    static final int IPV4_DEVCONF_FORWARDING = 1;
    /** IFNAMSIZ including the terminating NUL. */
    static final int IFNAMSIZ = 16;

    // ---- struct ifaddrmsg and IFA_* (if_addr.h) ----
    /** ifa_family u8, ifa_prefixlen u8, ifa_flags u8, ifa_scope u8, ifa_index u32. */
    static final int IFADDRMSG_SIZE = 8;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_F_NODAD = 0x02;

    // ---- struct rtmsg and RTA_* (rtnetlink.h) ----
    /** family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), rtm_flags u32. */
    static final int RTMSG_SIZE = 12;
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_PRIORITY = 6;
    static final int RT_TABLE_MAIN = 254;
    static final int RTPROT_STATIC = 4;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_LINK = 253;
    static final int RT_SCOPE_HOST = 254;
    static final int RT_SCOPE_NOWHERE = 255;
    static final int RTN_UNICAST = 1;

    /** NLMSG_ALIGN / RTA_ALIGN: round up to a multiple of 4. */
    static int align(int len) {
        return (len + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
    }
}
