package io.warren.gateway.l2;

import io.netty.buffer.ByteBuf;
import io.warren.gateway.config.StaticMac;
import io.warren.gateway.config.TunnelConfig;
import io.warren.gateway.config.TunnelParams;
import io.warren.gateway.config.TunnelOverhead;
import io.warren.gateway.config.TunnelType;
import io.warren.gateway.encap.l2tpv3.L2tpv3Encap;
import io.warren.gateway.encap.l2tpv3.L2tpv3Session;
import io.warren.gateway.encap.vxlan.FlowHash;
import io.warren.gateway.encap.vxlan.ReservedBits;
import io.warren.gateway.tunnel.Tunnel;
import io.warren.gateway.tunnel.TunnelContext;
import io.warren.gateway.tunnel.TunnelFactory;
import io.warren.tun.TunDevice;
import io.warren.tun.link.LinkConfigurator;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Opens L2 overlay tunnels: {@code type = "vxlan"} and {@code type = "l2tpv3"} (always layer 2), and
 * {@code type = "gre"} or {@code "gre-udp"} with {@code mode = "l2"} (gretap, {@link GretapEncapsulation}). Per
 * tunnel: a TAP device named after the tunnel, its MTU from the config or sized from the underlay
 * ({@link UnderlayMtu} minus {@link TunnelOverhead}; the smallest towards any remote), enslaved to {@code bridge} if set, up; one
 * segment (the VNI or session, on {@code vlan} of a trunk if set) whose static endpoints are the
 * {@code remote} list (VXLAN head-end replication, RFC 7348 §4.2) and whose MAC table holds the
 * {@code static-macs}; the UDP port shared with the other tunnels of the same kind and port. L2TPv3
 * gets its session IDs, cookies, L2-Specific Sublayer and sequencing from the config (RFC 3931 §4.1,
 * §4.6). Call {@link #open} on a thread in the namespace the tunnel lives in. L2TPv3 over IP (protocol
 * 115) uses one raw socket per address family ({@link SharedRawPort}).
 *
 * <p>L2 GRE gets its key, sequencing and checksum from the config (RFC 2890 §2, RFC 2784 §2.5) and an
 * underlay of its own ({@link GreEndpoint}: the L3 GRE tunnels' raw protocol 47 socket, connected to
 * the remote, or their GRE-in-UDP sockets).
 *
 * <p>MTU: the TAP MTU is the underlay MTU minus outer IP, [UDP], the tunnel header and 14 bytes of
 * Ethernet, e.g. GRE keyed 1500 - 20 - 8 - 14 = 1458, VXLAN 1500 - 20 - 8 - 8 - 14 = 1450. A configured
 * {@code mtu} above that is refused for every type (the tunnel does not open, naming the sum), since
 * L2 frames are never fragmented here (RFC 7348 §4.3): it would only blackhole full-size frames. Inside
 * WireGuard ({@code encrypted-via}) the remote is the peer's WireGuard address and the underlay MTU is
 * the WireGuard device's ({@code warren check} checks that case against the interface's {@code mtu}).
 */
public final class L2TunnelFactory implements TunnelFactory {
    private static final Logger LOG = Logger.getLogger(L2TunnelFactory.class.getName());

    private final L2Host host;
    private final FlowHash flowHash = new FlowHash(new SecureRandom().nextInt());

    /** The production factory: real TAP devices, rtnetlink and shared sockets. */
    public L2TunnelFactory() {
        this(new SystemL2Host());
    }

    L2TunnelFactory(L2Host host) {
        this.host = host;
    }

    @Override
    public boolean supports(TunnelConfig config) {
        return config.layer2();
    }

    /**
     * What one tunnel type puts on the wire: its encapsulation, UDP or not, the overlay port (0 over
     * IP), the key it is registered under (VNI, Session ID, GRE key or 0) and whether its segment
     * learns remotes (only VXLAN has more than one).
     */
    record Overlay(Encapsulation encap, SharedUdpPort.Kind kind, boolean udp, int port, long key,
                           boolean learn, String describe) {
    }

    static Overlay overlay(TunnelConfig c) {
        if (c.params() instanceof TunnelParams.Vxlan v) {
            return new Overlay(new VxlanEncapsulation(v.vni(), ReservedBits.IGNORE), SharedUdpPort.Kind.VXLAN, true,
                    v.port(), v.vni(), true, "VNI " + v.vni());
        }
        if (c.params() instanceof TunnelParams.Gre g) {
            return new Overlay(new GretapEncapsulation(g.key(), g.sequence(), g.checksum()), null, false, 0,
                    g.key().orElse(0), false, greDescription(g.key(), g.sequence(), g.checksum()));
        }
        if (c.params() instanceof TunnelParams.GreUdp g) {
            return new Overlay(new GretapEncapsulation(g.key(), g.sequence(), g.checksum()), null, true, g.port(),
                    g.key().orElse(0), false, greDescription(g.key(), g.sequence(), g.checksum()));
        }
        TunnelParams.L2tpv3 l = (TunnelParams.L2tpv3) c.params();
        L2tpv3Session session = new L2tpv3Session((int) l.localSessionId(), (int) l.remoteSessionId(),
                cookieBytes(l.remoteCookie()), cookieBytes(l.localCookie()), l.sublayer(),
                l.sequence(), l.sequence());
        return new Overlay(new L2tpv3Encapsulation(session, l.overUdp() ? L2tpv3Encap.UDP : L2tpv3Encap.IP),
                l.overUdp() ? SharedUdpPort.Kind.L2TPV3_UDP : null, l.overUdp(), l.overUdp() ? l.port() : 0,
                l.localSessionId(), false, "session " + l.localSessionId());
    }

    private static String greDescription(java.util.OptionalLong key, boolean sequence, boolean checksum) {
        return "(Ethernet, 0x6558)" + (key.isPresent() ? " key " + key.getAsLong() : "")
                + (sequence ? " sequence" : "") + (checksum ? " checksum" : "");
    }

    @Override
    public Tunnel open(TunnelConfig c, TunnelContext context) throws Exception {
        if (!supports(c)) {
            throw new IllegalArgumentException(c.name() + ": not an L2 tunnel");
        }
        Map<String, InetAddress> remotes = resolve(c.remotes());
        InetAddress remote = remotes.get(c.remote());
        Overlay o = overlay(c);
        Encapsulation encap = o.encap();
        boolean udp = o.udp();
        int port = o.port();
        long key = o.key();
        boolean gre = c.type() == TunnelType.GRE || c.type() == TunnelType.GRE_UDP;
        Room room = room(c, remotes);
        if (room.refusal(c).isPresent()) {
            throw new IOException(c.name() + ": " + room.refusal(c).get());
        }
        int mtu = c.mtu().orElse(room.fits());
        L2Counters counters = new L2Counters();
        L2Segment segment = segment(c, (int) key, mtu, remotes, port, o.learn(), counters);
        L2Switch sw = new L2Switch(List.of(segment), counters);

        InetAddress local = c.local().orElse(null);
        L2Endpoint ep = gre ? host.greEndpoint(c.name(), udp, local, remote, port, counters, context)
                : host.endpoint(o.kind(), local, port, remote, context);
        TunDevice tap = null;
        LinkConfigurator link = null;
        boolean registered = false;
        try {
            tap = host.openTap(c.name());
            link = host.openLink();
            link.setMtu(c.name(), mtu);
            if (c.bridge().isPresent()) {
                host.addBridgePort(c.bridge().get(), link.linkIndex(c.name()));
            }
            link.setUp(c.name());
            LinkConfigurator linkRef = link;
            L2Tunnel tunnel = new L2Tunnel(c.name(), tap, sw, Map.of(segment, encap), ep.sink(), flowHash,
                    counters, () -> {
                        ep.unregister(key);
                        ep.release();
                        linkRef.close();
                    });
            // A remote endpoint is its address and the overlay's port; its UDP source port is only
            // flow entropy (RFC 7348 §5), so replies and learned MACs point at ADDRESS:port.
            if (!ep.register(key, new OverlayPortReceiver(tunnel, segment, port))) {
                throw new IOException(c.name() + ": " + o.describe() + " is already used by another tunnel"
                        + (udp ? " on port " + port : ""));
            }
            registered = true;
            tunnel.start(context.transports().group());
            LOG.info(c.name() + ": " + c.type().configName() + " " + o.describe() + " to "
                    + remotes.values().stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "))
                    + (udp ? " port " + port : gre ? " (IP protocol 47)" : " (IP protocol 115)")
                    + c.encryptedVia().map(v -> " inside " + v).orElse("") + ", TAP MTU " + mtu
                    + (c.vlan().isPresent() ? ", VLAN " + c.vlan().getAsInt() : "")
                    + c.bridge().map(b -> ", bridge " + b).orElse("")
                    + (c.staticMacs().isEmpty() ? "" : ", " + c.staticMacs().size() + " static MAC(s)"));
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
            ep.release();
            throw e;
        }
    }

    /**
     * Refuses, before anything is opened, what {@link #open} would: a remote that does not resolve,
     * an {@code mtu} above what the underlay toward the tightest remote carries (not for a tunnel
     * inside WireGuard: {@code warren check} checks that against the interface's {@code mtu}, and the
     * interface may not exist yet), a {@code bridge} that does not exist.
     */
    @Override
    public List<Refusal> check(TunnelConfig c) {
        if (!supports(c)) {
            return List.of();
        }
        List<Refusal> out = new ArrayList<>();
        try {
            Map<String, InetAddress> remotes = resolve(c.remotes());
            if (c.encryptedVia().isEmpty()) {
                room(c, remotes).refusal(c).ifPresent(r -> out.add(new Refusal("mtu", r)));
            }
        } catch (UnknownHostException e) {
            out.add(new Refusal("remote", "cannot resolve " + e.getMessage()));
        }
        if (c.bridge().isPresent() && !host.hasInterface(c.bridge().get())) {
            out.add(new Refusal("bridge", "no interface \"" + c.bridge().get() + "\" to join"));
        }
        return out;
    }

    /**
     * The room toward the remote with the least of it (it sizes the TAP: every frame may be flooded
     * to it): that remote, its underlay MTU and the largest TAP MTU that fits.
     */
    private record Room(InetAddress tightest, int underlay, TunnelOverhead overhead) {
        int fits() {
            return overhead.fits(underlay);
        }

        /** Why a configured {@code mtu} cannot be carried, if it cannot (L2 frames are never fragmented). */
        Optional<String> refusal(TunnelConfig c) {
            if (c.mtu().isEmpty() || c.mtu().getAsInt() <= fits()) {
                return Optional.empty();
            }
            return Optional.of("mtu " + c.mtu().getAsInt() + " does not fit the underlay toward "
                    + tightest.getHostAddress() + " (" + overhead.arithmetic(underlay) + ")");
        }
    }

    private Room room(TunnelConfig c, Map<String, InetAddress> remotes) {
        InetAddress tightest = remotes.values().stream()
                .min(java.util.Comparator.comparingInt(r -> overhead(c, r).fits(host.underlayMtu(r)))).orElseThrow();
        return new Room(tightest, host.underlayMtu(tightest), overhead(c, tightest));
    }

    /** What {@code c} adds to each frame sent to {@code remote} ({@link TunnelOverhead}, shared with the config check). */
    private static TunnelOverhead overhead(TunnelConfig c, InetAddress remote) {
        return TunnelOverhead.of(c, remote instanceof Inet6Address);
    }

    /** Each configured remote (address or host name) resolved, in config order. */
    private static Map<String, InetAddress> resolve(List<String> remotes) throws UnknownHostException {
        Map<String, InetAddress> out = new LinkedHashMap<>();
        for (String r : remotes) {
            out.put(r, InetAddress.getByName(r));
        }
        return out;
    }

    /**
     * The tunnel's segment: every remote a static endpoint on the overlay's {@code port}, and the
     * static MAC entries installed (IEEE 802.1Q-2018 §8.8.1: they never age nor move).
     */
    static L2Segment segment(TunnelConfig c, int key, int mtu, Map<String, InetAddress> remotes, int port,
                             boolean learn, L2Counters counters) {
        List<InetSocketAddress> endpoints = new ArrayList<>();
        remotes.values().forEach(a -> endpoints.add(new InetSocketAddress(a, port)));
        L2Segment segment = L2Segment.of(key, c.vlan().orElse(0), mtu, endpoints, learn, counters);
        for (StaticMac m : c.staticMacs()) {
            L2Port where = m.remote().<L2Port>map(r -> new L2Port.Remote(new InetSocketAddress(remotes.get(r), port)))
                    .orElse(L2Port.LOCAL);
            segment.macTable().addStatic(m.mac().bits(), where);
        }
        return segment;
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

    /**
     * Hands received datagrams to the tunnel with the sender as ADDRESS:overlay-port. The address
     * made for the latest sender is kept, so a steady stream from one remote allocates none.
     * Called from the socket threads; the cache is one immutable object, races only cost a new one.
     */
    private static final class OverlayPortReceiver implements SharedUdpPort.Receiver {
        private final L2Tunnel tunnel;
        private final L2Segment segment;
        private final int port;
        private volatile InetSocketAddress last = new InetSocketAddress(0);

        OverlayPortReceiver(L2Tunnel tunnel, L2Segment segment, int port) {
            this.tunnel = tunnel;
            this.segment = segment;
            this.port = port;
        }

        @Override
        public void receive(ByteBuf datagram, InetSocketAddress from) {
            InetSocketAddress as = from;
            if (from.getPort() != port) {
                InetSocketAddress l = last;
                if (!from.getAddress().equals(l.getAddress())) {
                    l = new InetSocketAddress(from.getAddress(), port);
                    last = l;
                }
                as = l;
            }
            tunnel.receive(segment, datagram, as);
        }
    }
}
