package io.warren.gateway.tunnel.gre;

import io.warren.gateway.config.RouteConfig;
import io.warren.gateway.config.RouteVia;
import io.warren.routing.IpPrefix;
import io.warren.routing.Route;
import io.warren.routing.RouteTable;
import io.warren.routing.RouteTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where {@code [[route]]}s of the config become routes: the mapping from
 * {@link RouteVia} to {@link RouteTarget}, and which of them become kernel routes.
 *
 * <p>How the work is divided. The kernel is the forwarding plane of L3 tunnels: a
 * {@code via = "tunnel:NAME"} route is installed as a kernel route to the tunnel's TUN device
 * ({@code ip route add PREFIX dev NAME metric M}) for the tunnel's lifetime, so LAN traffic (and
 * transit traffic of a hub) enters the right tunnel and the kernel handles TTL, ICMP and PMTU for
 * the LAN. Routes into L2 tunnels are refused by the config (a TAP device has no next hop), so
 * every {@code tunnel:} route names an L3 tunnel. The {@link RouteTable} (the same {@code PrefixTable} structure as cryptokey routing)
 * holds every route, including {@code blackhole} and {@code local}, which have no device: the
 * tunnel cores consult it and drop packets whose best route is a blackhole, in both directions,
 * so a more specific blackhole inside a tunnelled prefix is honoured without kernel route types.
 * {@code peer:} and {@code interface:} routes belong to the WireGuard service and are carried in
 * the table for the single view only.
 */
public final class RoutePlan {
    private RoutePlan() {
    }

    /** The routing target of a configured next hop. */
    public static RouteTarget target(RouteVia via) {
        if (via instanceof RouteVia.Tunnel t) {
            return new RouteTarget.Tunnel(t.tunnel());
        } else if (via instanceof RouteVia.Peer p) {
            return new RouteTarget.Peer(p.iface() + "/" + p.peer());
        } else if (via instanceof RouteVia.Interface i) {
            return new RouteTarget.Tunnel(i.iface());
        } else if (via instanceof RouteVia.Blackhole) {
            return RouteTarget.BLACKHOLE;
        } else if (via instanceof RouteVia.Local) {
            return RouteTarget.LOCAL;
        }
        throw new IllegalStateException("unhandled route via " + via);
    }

    /** The routing-module prefix of a config prefix (host bits cleared). */
    public static IpPrefix prefix(io.warren.gateway.config.IpPrefix p) {
        return IpPrefix.fromBytes(p.network().address().getAddress(), p.length());
    }

    /** A table holding every configured route. */
    public static RouteTable table(List<RouteConfig> routes) {
        RouteTable t = new RouteTable();
        sync(t, routes);
        return t;
    }

    /** Makes {@code table} hold exactly {@code routes}. */
    public static void sync(RouteTable table, List<RouteConfig> routes) {
        List<Route> want = new ArrayList<>();
        for (RouteConfig r : routes) {
            want.add(new Route(prefix(r.prefix()), target(r.via()), r.metric()));
        }
        for (Route old : table.all()) {
            if (want.stream().noneMatch(w -> w.prefix().equals(old.prefix()) && w.target().equals(old.target()))) {
                table.remove(old.prefix(), old.target());
            }
        }
        for (Route w : want) {
            table.add(w);
        }
    }

    /** The kernel routes of tunnel {@code name}: its {@code tunnel:NAME} routes. */
    public static List<RouteConfig> kernelRoutes(String name, List<RouteConfig> routes) {
        List<RouteConfig> out = new ArrayList<>();
        for (RouteConfig r : routes) {
            if (r.via() instanceof RouteVia.Tunnel t && t.tunnel().equals(name)) {
                out.add(r);
            }
        }
        return out;
    }
}
