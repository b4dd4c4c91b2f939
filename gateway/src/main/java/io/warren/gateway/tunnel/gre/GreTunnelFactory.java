package io.warren.gateway.tunnel.gre;

import io.netty.buffer.PooledByteBufAllocator;
import io.warren.gateway.config.TunnelConfig;
import io.warren.gateway.config.TunnelType;
import io.warren.gateway.packet.IpProtocols;
import io.warren.gateway.tunnel.Tunnel;
import io.warren.gateway.tunnel.TunnelContext;
import io.warren.gateway.tunnel.TunnelFactory;
import io.warren.routing.RouteTable;
import io.warren.tun.OffloadedTun;
import io.warren.tun.TunDevice;
import io.warren.tun.link.LinkConfigurator;
import io.warren.tun.link.NetlinkLinkConfigurator;
import io.warren.tun.raw.RawFamily;
import io.warren.tun.raw.RawSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.logging.Logger;

/**
 * Opens L3 GRE ({@code type = "gre"}) and GRE-in-UDP ({@code type = "gre-udp"}) tunnels: resolves
 * the remote endpoint, reads the underlay path MTU toward it (IP_MTU on a connected raw socket),
 * derives the tunnel MTU ({@link GreTunnelSettings}), creates the TUN device named after the tunnel
 * with that MTU (or the configured {@code mtu}) and offloads where the kernel has them
 * ({@link OffloadedTun}) and starts the {@link GreTunnel}. Kernel routes are the tunnel service's job.
 *
 * <p>Inside WireGuard ({@code encrypted-via = "wg0"} or {@code "wg0/peer"}): nothing differs here.
 * The remote is the peer's WireGuard tunnel address (the config checks it is in the peer's
 * allowed-ips), so the kernel routes the outer GRE (or GRE-in-UDP) packets into Warren's WireGuard
 * TUN, which seals them; the path MTU toward the remote is the WireGuard device's MTU, so the
 * tunnel MTU leaves room for both the GRE and the WireGuard overhead.
 */
public final class GreTunnelFactory implements TunnelFactory {
    private static final Logger LOG = Logger.getLogger(GreTunnelFactory.class.getName());

    private final RouteTable routes;
    private final boolean mssClamp;

    /**
     * @param routes   the gateway's route table (blackhole routes are honoured by the data path)
     * @param mssClamp clamp TCP MSS on forwarded SYNs to the tunnel MTU unless a tunnel's
     *                 {@code mss-clamp} says otherwise
     */
    public GreTunnelFactory(RouteTable routes, boolean mssClamp) {
        this.routes = routes;
        this.mssClamp = mssClamp;
    }

    @Override
    public boolean supports(TunnelConfig config) {
        return !config.layer2()
                && (config.type() == TunnelType.GRE || config.type() == TunnelType.GRE_UDP);
    }

    @Override
    public Tunnel open(TunnelConfig config, TunnelContext context) throws Exception {
        InetAddress remote = InetAddress.getByName(config.remote());
        InetAddress local = config.local().orElse(null);
        boolean udp = config.type() == TunnelType.GRE_UDP;
        GreUnderlay underlay = null;
        TunDevice tun = null;
        try {
            int underlayMtu;
            if (udp) {
                underlayMtu = pathMtu(remote);
                underlay = new UdpGreUnderlay(local, remote, config.udpPort());
            } else {
                RawGreUnderlay raw = RawGreUnderlay.open(config.name(), local, remote);
                underlay = raw;
                underlayMtu = raw.pathMtu();
            }
            GreTunnelSettings settings = GreTunnelSettings.from(config, local, remote, underlayMtu, mssClamp);
            int tunMtu = config.mtu().orElse(settings.tunnelMtu());
            tun = OffloadedTun.open(config.name());
            try (LinkConfigurator link = NetlinkLinkConfigurator.open()) {
                link.setMtu(tun.name(), tunMtu);
                link.setUp(tun.name());
            }
            GreTunnelCore core = new GreTunnelCore(settings, PooledByteBufAllocator.DEFAULT, routes);
            GreTunnel t = new GreTunnel(core, tun, underlay, tunMtu, System::nanoTime).start();
            LOG.info(config.name() + ": " + config.type().configName() + " to " + remote.getHostAddress()
                    + config.encryptedVia().map(v -> " inside " + v).orElse("") + ", underlay MTU " + underlayMtu + ", tunnel MTU " + settings.tunnelMtu() + ", device MTU " + tunMtu);
            return t;
        } catch (Exception e) {
            if (underlay != null) {
                underlay.close();
            }
            if (tun != null) {
                tun.close();
            }
            throw e;
        }
    }

    /**
     * Refuses a remote that does not resolve. A configured {@code mtu} is never refused here: it is
     * only the TUN device's MTU, and the core fragments or answers with ICMP whatever exceeds the
     * tunnel MTU ({@link GreTunnelSettings#from}).
     */
    @Override
    public List<Refusal> check(TunnelConfig config) {
        if (!supports(config)) {
            return List.of();
        }
        try {
            InetAddress.getByName(config.remote());
            return List.of();
        } catch (UnknownHostException e) {
            return List.of(new Refusal("remote", "cannot resolve " + e.getMessage()));
        }
    }

    /** The kernel's path MTU toward {@code remote} (IP_MTU / IPV6_MTU of a connected raw socket). */
    static int pathMtu(InetAddress remote) throws IOException {
        try (RawSocket s = RawSocket.open(RawFamily.of(remote), IpProtocols.GRE)) {
            s.connect(remote);
            return s.pathMtu();
        }
    }
}
