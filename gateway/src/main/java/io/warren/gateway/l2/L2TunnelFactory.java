package io.warren.gateway.l2;

import io.warren.gateway.config.TunnelConfig;
import io.warren.gateway.config.TunnelParams;
import io.warren.gateway.config.TunnelType;
import io.warren.gateway.encap.l2tpv3.L2SpecificSublayer;
import io.warren.gateway.encap.l2tpv3.L2tpv3Encap;
import io.warren.gateway.encap.l2tpv3.L2tpv3Session;
import io.warren.gateway.encap.vxlan.FlowHash;
import io.warren.gateway.encap.vxlan.ReservedBits;
import io.warren.gateway.tunnel.Tunnel;
import io.warren.gateway.tunnel.TunnelContext;
import io.warren.gateway.tunnel.TunnelFactory;
import io.warren.tun.LinuxTun;
import io.warren.tun.TunDevice;
import io.warren.tun.TunMode;
import io.warren.tun.TunOptions;
import io.warren.tun.raw.RawFamily;
import io.warren.tun.link.LinkConfigurator;
import io.warren.tun.link.NetlinkLinkConfigurator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Opens L2 overlay tunnels: {@code type = "vxlan"} and {@code type = "l2tpv3"} (always layer 2). Per
 * tunnel: a TAP device named after the tunnel, its MTU from the config or sized from the underlay
 * ({@link UnderlayMtu}), enslaved to {@code bridge} if set, up; one segment (the VNI or session, on
 * {@code vlan} of a trunk if set) with the remote as its static endpoint; the UDP port shared with the
 * other tunnels of the same kind and port. Call {@link #open} on a thread in the namespace the tunnel
 * lives in. L2TPv3 over IP (protocol 115) uses one raw socket per address family ({@link SharedRawPort}).
 */
public final class L2TunnelFactory implements TunnelFactory {
    private static final Logger LOG = Logger.getLogger(L2TunnelFactory.class.getName());

    private final Map<SharedUdpPort.Key, SharedUdpPort> ports = new HashMap<>();
    private final Map<RawFamily, SharedRawPort> rawPorts = new HashMap<>();
    private final FlowHash flowHash = new FlowHash(new SecureRandom().nextInt());

    @Override
    public boolean supports(TunnelConfig config) {
        return config.layer2() && (config.type() == TunnelType.VXLAN || config.type() == TunnelType.L2TPV3);
    }

    @Override
    public Tunnel open(TunnelConfig c, TunnelContext context) throws Exception {
        if (!supports(c)) {
            throw new IllegalArgumentException(c.name() + ": not an L2 VXLAN/L2TPv3 tunnel");
        }
        InetAddress remote = InetAddress.getByName(c.remote());
        Encapsulation encap;
        SharedUdpPort.Kind kind;
        int port;
        long key;
        boolean learn;
        if (c.params() instanceof TunnelParams.Vxlan v) {
            encap = new VxlanEncapsulation(v.vni(), ReservedBits.IGNORE);
            kind = SharedUdpPort.Kind.VXLAN;
            port = v.port();
            key = v.vni();
            learn = true;
        } else {
            TunnelParams.L2tpv3 l = (TunnelParams.L2tpv3) c.params();
            L2tpv3Session session = new L2tpv3Session((int) l.localSessionId(), (int) l.remoteSessionId(),
                    cookieBytes(l.remoteCookie()), cookieBytes(l.localCookie()), L2SpecificSublayer.DEFAULT,
                    l.sequence(), l.sequence());
            encap = new L2tpv3Encapsulation(session, l.overUdp() ? L2tpv3Encap.UDP : L2tpv3Encap.IP);
            kind = l.overUdp() ? SharedUdpPort.Kind.L2TPV3_UDP : null;
            port = l.overUdp() ? l.port() : 0;
            key = l.localSessionId();
            learn = false;
        }
        boolean udp = kind != null;
        int mtu = c.mtu().orElseGet(() -> UnderlayMtu.payloadMtu(UnderlayMtu.towards(remote), remote, udp,
                encap.headerLength()));
        L2Counters counters = new L2Counters();
        L2Segment segment = L2Segment.of((int) key, c.vlan().orElse(0), mtu,
                List.of(new InetSocketAddress(remote, port)), learn, counters);
        L2Switch sw = new L2Switch(List.of(segment), counters);

        InetAddress local = c.local().orElse(null);
        Endpoint ep = udp ? udpEndpoint(kind, local, port, context) : rawEndpoint(remote, local);
        TunDevice tap = null;
        LinkConfigurator link = null;
        boolean registered = false;
        try {
            tap = LinuxTun.open(TunOptions.builder().name(c.name()).mode(TunMode.TAP).build());
            link = NetlinkLinkConfigurator.open();
            link.setMtu(c.name(), mtu);
            if (c.bridge().isPresent()) {
                BridgePorts.add(c.bridge().get(), link.linkIndex(c.name()));
            }
            link.setUp(c.name());
            LinkConfigurator linkRef = link;
            L2Tunnel tunnel = new L2Tunnel(c.name(), tap, sw, Map.of(segment, encap), ep.sink(), flowHash,
                    counters, () -> {
                        ep.unregister(key);
                        ep.release().run();
                        linkRef.close();
                    });
            // A remote endpoint is its address and the overlay's port; its UDP source port is only
            // flow entropy (RFC 7348 §5), so replies and learned MACs point at ADDRESS:port.
            if (!ep.register(key, (d, from) -> tunnel.receive(segment, d,
                    from.getPort() == port ? from : new InetSocketAddress(from.getAddress(), port)))) {
                throw new IOException(c.name() + ": " + (c.type() == TunnelType.VXLAN ? "VNI " : "session ")
                        + key + " is already used by another tunnel" + (udp ? " on port " + port : ""));
            }
            registered = true;
            tunnel.start(context.transports().group());
            LOG.info(c.name() + ": " + c.type().configName() + " " + key + " to " + remote.getHostAddress()
                    + (udp ? ":" + port : " (IP protocol 115)") + ", TAP MTU " + mtu
                    + (c.vlan().isPresent() ? ", VLAN " + c.vlan().getAsInt() : "")
                    + c.bridge().map(b -> ", bridge " + b).orElse(""));
            return tunnel;
        } catch (Exception | Error e) {
            if (registered) {
                ep.unregister(key);
            }
            if (tap != null) {
                tap.close();
            }
            if (link != null) {
                link.close();
            }
            ep.release().run();
            throw e;
        }
    }

    /** The shared socket a tunnel sends and receives on, seen through one interface. */
    private interface Endpoint {
        DatagramSink sink();

        boolean register(long key, SharedUdpPort.Receiver r);

        void unregister(long key);

        /** Drops the tunnel's reference (the last one closes the socket). */
        Runnable release();
    }

    private Endpoint udpEndpoint(SharedUdpPort.Kind kind, InetAddress local, int port, TunnelContext context)
            throws IOException {
        SharedUdpPort p = acquire(kind, local, port, context);
        return new Endpoint() {
            @Override
            public DatagramSink sink() {
                return p.sender();
            }

            @Override
            public boolean register(long key, SharedUdpPort.Receiver r) {
                return p.register(key, r);
            }

            @Override
            public void unregister(long key) {
                p.unregister(key);
            }

            @Override
            public Runnable release() {
                return () -> releaseUdp(kind, local, port);
            }
        };
    }

    private Endpoint rawEndpoint(InetAddress remote, InetAddress local) throws IOException {
        RawFamily family = RawFamily.of(remote);
        SharedRawPort p;
        synchronized (this) {
            p = rawPorts.get(family);
            if (p == null) {
                p = SharedRawPort.open(family, local);
                rawPorts.put(family, p);
            }
            p.retain();
        }
        SharedRawPort port = p;
        return new Endpoint() {
            @Override
            public DatagramSink sink() {
                return port.sender();
            }

            @Override
            public boolean register(long key, SharedUdpPort.Receiver r) {
                return port.register(key, r);
            }

            @Override
            public void unregister(long key) {
                port.unregister(key);
            }

            @Override
            public Runnable release() {
                return () -> {
                    synchronized (L2TunnelFactory.this) {
                        if (port.release()) {
                            rawPorts.remove(family);
                            port.close();
                        }
                    }
                };
            }
        };
    }

    private synchronized SharedUdpPort acquire(SharedUdpPort.Kind kind, InetAddress local, int port,
                                               TunnelContext context) throws IOException {
        SharedUdpPort.Key k = new SharedUdpPort.Key(kind, local, port);
        SharedUdpPort p = ports.get(k);
        if (p == null) {
            p = SharedUdpPort.open(kind, local == null ? new InetSocketAddress(port) : new InetSocketAddress(local, port),
                    context.transports());
            ports.put(k, p);
        }
        p.retain();
        return p;
    }

    private synchronized void releaseUdp(SharedUdpPort.Kind kind, InetAddress local, int port) {
        SharedUdpPort.Key k = new SharedUdpPort.Key(kind, local, port);
        SharedUdpPort p = ports.get(k);
        if (p != null && p.release()) {
            ports.remove(k);
            p.close();
        }
    }

    static byte[] cookieBytes(TunnelParams.Cookie cookie) {
        if (cookie.length() == 0) {
            return new byte[0];
        }
        ByteBuffer b = ByteBuffer.allocate(8).putLong(cookie.value());
        byte[] out = new byte[cookie.length()];
        System.arraycopy(b.array(), 8 - cookie.length(), out, 0, cookie.length());
        return out;
    }
}
