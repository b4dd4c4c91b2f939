package io.warren.tun.link;

import static io.warren.tun.link.NetlinkSocket.ORDER;

import java.net.InetAddress;
import java.util.List;

/**
 * {@link LinkConfigurator} over rtnetlink: each call is one request on a {@link NetlinkSocket} answered
 * by an ack or an errno. Open it in the network namespace to configure (the socket binds to the opening
 * thread's namespace). Methods are synchronised; one request is in flight at a time.
 */
public final class NetlinkLinkConfigurator implements LinkConfigurator {
    private final NetlinkSocket socket;

    private NetlinkLinkConfigurator(NetlinkSocket socket) {
        this.socket = socket;
    }

    /**
     * Opens a NETLINK_ROUTE socket in the calling thread's network namespace.
     *
     * @throws LinkConfigException when the socket cannot be created or bound
     */
    public static NetlinkLinkConfigurator open() {
        return new NetlinkLinkConfigurator(NetlinkSocket.open());
    }

    @Override
    public synchronized int linkIndex(String name) {
        return link("cannot look up link " + name, name).index();
    }

    @Override
    public synchronized void setUp(String name) {
        int seq = socket.nextSeq();
        socket.transact("cannot set " + name + " up", RtnetlinkRequests.setUp(seq, name, true, ORDER), seq);
    }

    @Override
    public synchronized void setDown(String name) {
        int seq = socket.nextSeq();
        socket.transact("cannot set " + name + " down", RtnetlinkRequests.setUp(seq, name, false, ORDER), seq);
    }

    @Override
    public synchronized void setMtu(String name, int mtu) {
        int seq = socket.nextSeq();
        socket.transact("cannot set MTU " + Integer.toUnsignedString(mtu) + " on " + name,
                RtnetlinkRequests.setMtu(seq, name, mtu, ORDER), seq);
    }

    @Override
    public synchronized int mtu(String name) {
        NetlinkReply.Link l = link("cannot read MTU of " + name, name);
        if (l.mtu() < 0) {
            throw new LinkConfigException("cannot read MTU of " + name + ": reply carries no IFLA_MTU", 0);
        }
        return l.mtu();
    }

    @Override
    public synchronized boolean ipv4Forwarding(String name) {
        NetlinkReply.Link l = link("cannot read IPv4 forwarding of " + name, name);
        if (l.ipv4Forwarding() < 0) {
            throw new LinkConfigException("cannot read IPv4 forwarding of " + name + ": no IPv4 devconf in the reply", 0);
        }
        return l.ipv4Forwarding() != 0;
    }

    @Override
    public synchronized void setIpv4Forwarding(String name, boolean on) {
        int seq = socket.nextSeq();
        socket.transact("cannot " + (on ? "enable" : "disable") + " IPv4 forwarding on " + name,
                RtnetlinkRequests.setIpv4Forwarding(seq, name, on, ORDER), seq);
    }

    @Override
    public synchronized void addAddress(String name, InetAddress addr, int prefixLen) {
        String what = "cannot add address " + addr.getHostAddress() + "/" + prefixLen + " to " + name;
        int index = link(what, name).index();
        int seq = socket.nextSeq();
        socket.transact(what, RtnetlinkRequests.newAddress(seq, index, addr.getAddress(), prefixLen, ORDER), seq);
    }

    @Override
    public synchronized void removeAddress(String name, InetAddress addr, int prefixLen) {
        String what = "cannot remove address " + addr.getHostAddress() + "/" + prefixLen + " from " + name;
        int index = link(what, name).index();
        int seq = socket.nextSeq();
        socket.transact(what, RtnetlinkRequests.deleteAddress(seq, index, addr.getAddress(), prefixLen, ORDER), seq);
    }

    @Override
    public synchronized void addRoute(InetAddress dst, int prefixLen, String dev, int metric) {
        String what = "cannot add route " + dst.getHostAddress() + "/" + prefixLen + " dev " + dev + " metric "
                + metric;
        int index = link(what, dev).index();
        int seq = socket.nextSeq();
        socket.transact(what, RtnetlinkRequests.newRoute(seq, dst.getAddress(), prefixLen, index, metric, ORDER), seq);
    }

    @Override
    public synchronized void removeRoute(InetAddress dst, int prefixLen, String dev, int metric) {
        String what = "cannot remove route " + dst.getHostAddress() + "/" + prefixLen + " dev " + dev + " metric "
                + metric;
        int index = link(what, dev).index();
        int seq = socket.nextSeq();
        socket.transact(what, RtnetlinkRequests.deleteRoute(seq, dst.getAddress(), prefixLen, index, metric, ORDER),
                seq);
    }

    @Override
    public synchronized void close() {
        socket.close();
    }

    /** RTM_GETLINK by name; {@code what} prefixes any error. */
    private NetlinkReply.Link link(String what, String name) {
        int seq = socket.nextSeq();
        List<NetlinkReply> replies = socket.transact(what, RtnetlinkRequests.getLink(seq, name, ORDER), seq);
        for (NetlinkReply r : replies) {
            if (r instanceof NetlinkReply.Link l) {
                return l;
            }
        }
        throw new LinkConfigException(what + ": kernel acknowledged RTM_GETLINK without RTM_NEWLINK", 0);
    }
}
