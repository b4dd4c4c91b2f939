package io.warren.tun.link;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * In-memory {@link LinkConfigurator} for tests of other modules (published in the tun test-jar). It
 * records every call as a line such as {@code "setMtu wt0 1420"} and simulates links the way the kernel
 * answers: unknown device ENODEV, MTU outside [68, maxMtu] EINVAL, duplicate address or route EEXIST,
 * missing address EADDRNOTAVAIL, missing route ESRCH, with the same messages as
 * {@link NetlinkLinkConfigurator}. {@link #failNext} injects an errno for the next call of an operation.
 * Thread-safe (synchronised).
 */
public final class RecordingLinkConfigurator implements LinkConfigurator {
    private static final int EINVAL = 22;
    private static final int ENODEV = 19;
    private static final int EEXIST = 17;
    private static final int ESRCH = 3;
    private static final int EADDRNOTAVAIL = 99;
    private static final int MIN_MTU = 68;

    /** Simulated state of one link. */
    public static final class Link {
        private final int index;
        private final int maxMtu;
        private int mtu;
        private boolean up;
        private boolean ipv4Forwarding;
        private final Set<String> addresses = new LinkedHashSet<>();

        Link(int index, int mtu, int maxMtu) {
            this.index = index;
            this.mtu = mtu;
            this.maxMtu = maxMtu;
        }

        /** @return interface index */
        public int index() {
            return index;
        }

        /** @return current MTU */
        public int mtu() {
            return mtu;
        }

        /** @return net.ipv4.conf.NAME.forwarding */
        public boolean ipv4Forwarding() {
            return ipv4Forwarding;
        }

        /** Sets the simulated forwarding flag without recording a call (the host's setting). */
        public void presetIpv4Forwarding(boolean on) {
            ipv4Forwarding = on;
        }

        /** @return whether IFF_UP is set */
        public boolean isUp() {
            return up;
        }

        /** @return addresses as {@code "10.0.0.1/24"} strings, in insertion order */
        public List<String> addresses() {
            return List.copyOf(addresses);
        }
    }

    private final Map<String, Link> links = new LinkedHashMap<>();
    private final Set<String> routes = new LinkedHashSet<>();
    private final List<String> calls = new ArrayList<>();
    private final Map<String, Integer> injected = new HashMap<>();
    private int nextIndex = 2; // 1 is lo
    private boolean closed;

    /** Simulates a link (like a TUN device being created) with max MTU 65535; returns it. */
    public synchronized Link addLink(String name, int mtu) {
        Link l = new Link(nextIndex++, mtu, 65535);
        links.put(name, l);
        return l;
    }

    /** Removes a simulated link and its routes (like the device disappearing). */
    public synchronized void removeLink(String name) {
        links.remove(name);
        routes.removeIf(r -> r.contains(" dev " + name + " "));
    }

    /** @return the simulated link, or null */
    public synchronized Link link(String name) {
        return links.get(name);
    }

    /** @return routes as {@code "10.9.0.0/16 dev wt0 metric 100"}, in insertion order */
    public synchronized List<String> routes() {
        return List.copyOf(routes);
    }

    /** @return every call so far, e.g. {@code "addAddress wt0 10.0.0.1/24"} */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** @return whether {@link #close()} was called */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Makes the next call of {@code operation} (a method name, e.g. "setMtu") fail with {@code errno}. */
    public synchronized void failNext(String operation, int errno) {
        injected.put(operation, errno);
    }

    @Override
    public synchronized int linkIndex(String name) {
        return begin("linkIndex " + name, "linkIndex", "cannot look up link " + name, name).index;
    }

    @Override
    public synchronized void setUp(String name) {
        begin("setUp " + name, "setUp", "cannot set " + name + " up", name).up = true;
    }

    @Override
    public synchronized void setDown(String name) {
        begin("setDown " + name, "setDown", "cannot set " + name + " down", name).up = false;
    }

    @Override
    public synchronized void setMtu(String name, int mtu) {
        String what = "cannot set MTU " + Integer.toUnsignedString(mtu) + " on " + name;
        Link l = begin("setMtu " + name + " " + mtu, "setMtu", what, name);
        if (mtu < MIN_MTU || mtu > l.maxMtu) {
            throw LinkConfigException.of(what, EINVAL, "");
        }
        l.mtu = mtu;
    }

    @Override
    public synchronized int mtu(String name) {
        return begin("mtu " + name, "mtu", "cannot read MTU of " + name, name).mtu;
    }

    @Override
    public synchronized boolean ipv4Forwarding(String name) {
        return begin("ipv4Forwarding " + name, "ipv4Forwarding", "cannot read IPv4 forwarding of " + name, name)
                .ipv4Forwarding;
    }

    @Override
    public synchronized void setIpv4Forwarding(String name, boolean on) {
        begin("setIpv4Forwarding " + name + " " + on, "setIpv4Forwarding",
                "cannot " + (on ? "enable" : "disable") + " IPv4 forwarding on " + name, name).ipv4Forwarding = on;
    }

    @Override
    public synchronized void addAddress(String name, InetAddress addr, int prefixLen) {
        String a = addr.getHostAddress() + "/" + prefixLen;
        String what = "cannot add address " + a + " to " + name;
        Link l = begin("addAddress " + name + " " + a, "addAddress", what, name);
        checkPrefix(what, addr, prefixLen);
        if (!l.addresses.add(a)) {
            throw LinkConfigException.of(what, EEXIST, "");
        }
    }

    @Override
    public synchronized void removeAddress(String name, InetAddress addr, int prefixLen) {
        String a = addr.getHostAddress() + "/" + prefixLen;
        String what = "cannot remove address " + a + " from " + name;
        Link l = begin("removeAddress " + name + " " + a, "removeAddress", what, name);
        if (!l.addresses.remove(a)) {
            throw LinkConfigException.of(what, EADDRNOTAVAIL, "");
        }
    }

    @Override
    public synchronized void addRoute(InetAddress dst, int prefixLen, String dev, int metric) {
        String r = dst.getHostAddress() + "/" + prefixLen + " dev " + dev + " metric " + metric;
        String what = "cannot add route " + r;
        begin("addRoute " + r, "addRoute", what, dev);
        checkPrefix(what, dst, prefixLen);
        if (!routes.add(r)) {
            throw LinkConfigException.of(what, EEXIST, "");
        }
    }

    @Override
    public synchronized void removeRoute(InetAddress dst, int prefixLen, String dev, int metric) {
        String r = dst.getHostAddress() + "/" + prefixLen + " dev " + dev + " metric " + metric;
        String what = "cannot remove route " + r;
        begin("removeRoute " + r, "removeRoute", what, dev);
        if (!routes.remove(r)) {
            throw LinkConfigException.of(what, ESRCH, "");
        }
    }

    @Override
    public synchronized void close() {
        calls.add("close");
        closed = true;
    }

    private Link begin(String call, String operation, String what, String name) {
        if (closed) {
            throw new IllegalStateException("netlink socket is closed");
        }
        calls.add(call);
        Integer errno = injected.remove(operation);
        if (errno != null) {
            throw LinkConfigException.of(what, errno, "");
        }
        Link l = links.get(name);
        if (l == null) {
            throw LinkConfigException.of(what, ENODEV, "");
        }
        return l;
    }

    private static void checkPrefix(String what, InetAddress addr, int prefixLen) {
        if (prefixLen < 0 || prefixLen > addr.getAddress().length * 8) {
            throw LinkConfigException.of(what, EINVAL, "");
        }
    }
}
