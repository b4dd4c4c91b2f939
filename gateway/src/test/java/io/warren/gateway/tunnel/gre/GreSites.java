package io.warren.gateway.tunnel.gre;

import io.warren.gateway.config.IpPrefix;
import io.warren.gateway.config.RouteConfig;
import io.warren.gateway.config.RouteVia;
import io.warren.gateway.config.TunnelConfig;
import io.warren.gateway.config.TunnelParams;
import io.warren.gateway.config.TunnelType;
import io.warren.gateway.transport.Transports;
import io.warren.gateway.tunnel.Tunnel;
import io.warren.gateway.tunnel.TunnelContext;
import io.warren.routing.RouteTable;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.tun.link.NetlinkLinkConfigurator;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Namespace topology for the GRE ITs: per site a LAN host ({@code h<site>}, 10.&lt;n&gt;.0.2/24)
 * behind a gateway ({@code g<site>}, LAN 10.&lt;n&gt;.0.1, underlay 192.0.2.&lt;n&gt;/24 on a shared
 * underlay bridge namespace). Warren tunnels are opened inside the gateway namespaces through the
 * production factory and kernel routes, and closed by {@link #close()}.
 */
final class GreSites implements AutoCloseable {
    final NetLab lab;
    final Netns underlay;
    final Transports transports = Transports.create(1);
    private final List<Runnable> cleanup = new ArrayList<>();
    final List<GreTunnel> opened = new ArrayList<>();

    GreSites(NetLab lab) {
        this.lab = lab;
        this.underlay = lab.netns("ul");
        underlay.exec("ip", "link", "add", "br0", "type", "bridge");
        underlay.up("br0");
    }

    /** A site: host and gateway namespaces, underlay port with {@code underlayMtu}. */
    Site site(int n, int underlayMtu) {
        Netns host = lab.netns("h" + n);
        Netns gw = lab.netns("g" + n);
        lab.veth(host, "eth0", gw, "lan0");
        host.addr("eth0", "10." + n + ".0.2/24");
        host.exec("ip", "route", "add", "default", "via", "10." + n + ".0.1");
        gw.addr("lan0", "10." + n + ".0.1/24");
        lab.veth(gw, "ul0", underlay, "p" + n);
        underlay.exec("ip", "link", "set", "p" + n, "master", "br0");
        gw.exec("ip", "link", "set", "ul0", "mtu", String.valueOf(underlayMtu));
        underlay.exec("ip", "link", "set", "p" + n, "mtu", String.valueOf(underlayMtu));
        gw.addr("ul0", "192.0.2." + n + "/24");
        gw.sysctl("net.ipv4.ip_forward", "1");
        return new Site(n, host, gw);
    }

    /** A gre / gre-udp tunnel config. */
    static TunnelConfig config(String name, TunnelType type, String local, String remote, TunnelParams params) {
        return new TunnelConfig(name, type, false, Optional.of(addr(local)), remote, params, Optional.empty(),
                OptionalInt.empty(), Optional.empty(), OptionalInt.empty(), io.warren.gateway.config.Forwarding.OFF);
    }

    static TunnelParams.Gre gre(Long key, boolean seq, boolean csum) {
        return new TunnelParams.Gre(key == null ? OptionalLong.empty() : OptionalLong.of(key), seq, csum);
    }

    /** Opens {@code config} in the site's gateway with kernel routes for {@code prefixes}. */
    GreTunnel open(Site site, TunnelConfig config, String... prefixes) {
        return site.gw.call(() -> {
            RouteTable table = new RouteTable();
            Tunnel t = new GreTunnelFactory(table, true).open(config, new TunnelContext(transports));
            NetlinkLinkConfigurator link = NetlinkLinkConfigurator.open();
            KernelRoutes kr = new KernelRoutes(link, config.name(), addr(config.remote()));
            List<RouteConfig> routes = new ArrayList<>();
            for (String p : prefixes) {
                routes.add(new RouteConfig(IpPrefix.parse(p).orElseThrow(), new RouteVia.Tunnel(config.name()), 100));
            }
            kr.sync(routes);
            cleanup.add(() -> site.gw.run(() -> {
                kr.clear();
                t.close();
                link.close();
            }));
            opened.add((GreTunnel) t);
            return (GreTunnel) t;
        });
    }

    /** Opens a tunnel from explicit settings (e.g. GRE-in-UDP with sequence numbers, not in the TOML model). */
    GreTunnel openWithSettings(Site site, GreTunnelSettings s, String... prefixes) {
        return site.gw.call(() -> {
            GreUnderlay ul = s.overUdp() ? new UdpGreUnderlay(s.local(), s.remote(), 4754)
                    : RawGreUnderlay.open(s.name(), s.local(), s.remote());
            io.warren.tun.TunDevice tun = io.warren.tun.LinuxTun.open(io.warren.tun.TunOptions.builder()
                    .name(s.name()).mode(io.warren.tun.TunMode.TUN).build());
            NetlinkLinkConfigurator link = NetlinkLinkConfigurator.open();
            link.setMtu(s.name(), s.tunnelMtu());
            link.setUp(s.name());
            GreTunnel t = new GreTunnel(new GreTunnelCore(s, io.netty.buffer.PooledByteBufAllocator.DEFAULT,
                    new RouteTable()), tun, ul, s.tunnelMtu(), System::nanoTime).start();
            KernelRoutes kr = new KernelRoutes(link, s.name(), s.remote());
            List<RouteConfig> routes = new ArrayList<>();
            for (String p : prefixes) {
                routes.add(new RouteConfig(IpPrefix.parse(p).orElseThrow(), new RouteVia.Tunnel(s.name()), 100));
            }
            kr.sync(routes);
            cleanup.add(() -> site.gw.run(() -> {
                kr.clear();
                t.close();
                link.close();
            }));
            opened.add(t);
            return t;
        });
    }

    /** Every opened tunnel's non-zero counters, for failure messages. */
    String counters() {
        StringBuilder sb = new StringBuilder();
        for (GreTunnel t : opened) {
            sb.append('\n').append(t.name()).append(": ");
            t.counters().forEach((k, v) -> {
                if (v != 0) {
                    sb.append(k).append('=').append(v).append(' ');
                }
            });
        }
        return sb.toString();
    }

    static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).run();
        }
        cleanup.clear();
        transports.close();
    }

    record Site(int n, Netns host, Netns gw) {
        String hostIp() {
            return "10." + n + ".0.2";
        }

        String underlayIp() {
            return "192.0.2." + n;
        }
    }
}
