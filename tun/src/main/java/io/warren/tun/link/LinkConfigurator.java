package io.warren.tun.link;

import java.net.InetAddress;

/**
 * Configures network links the way {@code ip link/addr/route} would, for the interfaces the gateway
 * owns (its TUN device, underlay). Implementations: {@link NetlinkLinkConfigurator} (rtnetlink) and the
 * in-memory {@code RecordingLinkConfigurator} of the test-jar. Failures throw {@link LinkConfigException}
 * naming the device and the errno.
 */
public interface LinkConfigurator extends AutoCloseable {

    /** @return the interface index of {@code name} (if_nametoindex) */
    int linkIndex(String name);

    /** Sets IFF_UP on {@code name}. */
    void setUp(String name);

    /** Clears IFF_UP on {@code name}. */
    void setDown(String name);

    /** Sets the MTU of {@code name}. */
    void setMtu(String name, int mtu);

    /** @return the current MTU of {@code name} */
    int mtu(String name);

    /**
     * Adds {@code addr/prefixLen} to {@code name} (like {@code ip addr add}; fails with EEXIST when
     * present). IPv6 addresses are added without duplicate address detection (usable at once).
     */
    void addAddress(String name, InetAddress addr, int prefixLen);

    /** Removes {@code addr/prefixLen} from {@code name} (EADDRNOTAVAIL when absent). */
    void removeAddress(String name, InetAddress addr, int prefixLen);

    /**
     * Adds a route to {@code dst/prefixLen} out of {@code dev} with {@code metric} in the main table
     * (like {@code ip route add DST/LEN dev DEV metric M}; EEXIST when present).
     * Host bits of {@code dst} must be zero (the kernel answers EINVAL otherwise).
     */
    void addRoute(InetAddress dst, int prefixLen, String dev, int metric);

    /** Removes the route added by {@link #addRoute} with the same arguments (ESRCH when absent). */
    void removeRoute(InetAddress dst, int prefixLen, String dev, int metric);

    /**
     * {@code net.ipv4.conf.NAME.forwarding}: whether IPv4 packets arriving on {@code name} may be
     * routed on (the kernel decides per input device). Read from RTM_GETLINK's IFLA_AF_SPEC.
     */
    boolean ipv4Forwarding(String name);

    /**
     * Sets {@code net.ipv4.conf.NAME.forwarding} over rtnetlink (RTM_SETLINK, IFLA_AF_SPEC /
     * IFLA_INET_CONF): needs CAP_NET_ADMIN only, not a writable /proc/sys.
     */
    void setIpv4Forwarding(String name, boolean on);

    /** Releases the underlying socket; idempotent. */
    @Override
    void close();
}
