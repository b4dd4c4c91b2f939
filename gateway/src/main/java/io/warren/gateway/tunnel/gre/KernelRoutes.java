package io.warren.gateway.tunnel.gre;

import io.warren.gateway.config.IpPrefix;
import io.warren.gateway.config.RouteConfig;
import io.warren.tun.link.LinkConfigurator;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The kernel routes ({@code ip route PREFIX dev NAME metric M}, over rtnetlink) that steer traffic
 * into one tunnel device, kept equal to the tunnel's {@code via = "tunnel:NAME"} routes
 * ({@link RoutePlan#kernelRoutes}). A route covering the tunnel's own remote endpoint is refused:
 * the outer packets would be routed into the tunnel itself. Failures are logged, never thrown:
 * one bad route must not take the tunnel down. The kernel drops a device's routes with the device.
 */
public final class KernelRoutes {
    private static final Logger LOG = Logger.getLogger(KernelRoutes.class.getName());

    /** A route as installed: prefix (network) and metric. */
    record Installed(IpPrefix prefix, int metric) {
    }

    private final LinkConfigurator link;
    private final String device;
    private final InetAddress endpoint;
    private final Set<Installed> installed = new LinkedHashSet<>();

    /**
     * @param endpoint the tunnel's remote underlay address (never routed into the tunnel), or null
     */
    public KernelRoutes(LinkConfigurator link, String device, InetAddress endpoint) {
        this.link = link;
        this.device = device;
        this.endpoint = endpoint;
    }

    /** Adds and removes kernel routes so that exactly {@code routes} (this device's) are installed. */
    public synchronized void sync(List<RouteConfig> routes) {
        Set<Installed> want = new LinkedHashSet<>();
        for (RouteConfig r : routes) {
            IpPrefix p = r.prefix().network();
            if (endpoint != null && p.contains(endpoint)) {
                LOG.warning(device + ": not routing " + p + " into the tunnel: it contains the tunnel endpoint "
                        + endpoint.getHostAddress() + " (routing loop)");
                continue;
            }
            want.add(new Installed(p, r.metric()));
        }
        for (Installed old : Set.copyOf(installed)) {
            if (!want.contains(old)) {
                try {
                    link.removeRoute(old.prefix().address(), old.prefix().length(), device, old.metric());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, device + ": removing route " + old.prefix() + ": " + e.getMessage());
                }
                installed.remove(old);
            }
        }
        for (Installed w : want) {
            if (installed.contains(w)) {
                continue;
            }
            try {
                link.addRoute(w.prefix().address(), w.prefix().length(), device, w.metric());
                installed.add(w);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, device + ": route " + w.prefix() + " metric " + w.metric() + ": " + e.getMessage());
            }
        }
    }

    /** The routes installed now. */
    public synchronized Set<Installed> installed() {
        return Set.copyOf(installed);
    }

    /** Removes every route this object installed. */
    public void clear() {
        sync(List.of());
    }
}
