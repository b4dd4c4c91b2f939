package io.warren.gateway.daemon;

import io.warren.gateway.control.meters.TunnelMeters;
import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.IpAddresses;
import io.warren.gateway.config.RouteConfig;
import io.warren.gateway.config.TunnelConfig;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.transport.Transports;
import io.warren.gateway.tunnel.Tunnel;
import io.warren.gateway.tunnel.TunnelContext;
import io.warren.gateway.tunnel.TunnelFactory;
import io.warren.gateway.tunnel.gre.GreTunnelFactory;
import io.warren.gateway.tunnel.gre.KernelRoutes;
import io.warren.gateway.tunnel.gre.RoutePlan;
import io.warren.routing.RouteTable;
import io.warren.tun.link.LinkConfigurator;
import io.warren.tun.link.NetlinkLinkConfigurator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs every {@code [tunnel.NAME]} through the first registered {@link TunnelFactory} that supports
 * it, installs the kernel routes of its {@code via = "tunnel:NAME"} routes to its device, and keeps
 * the gateway's {@link RouteTable} equal to the configured routes ({@link RoutePlan}).
 *
 * <p>Reload is a diff: removed tunnels are closed, changed ones closed and reopened, added ones
 * opened, unchanged ones untouched (their sessions, sequence state and counters survive); kernel
 * routes are then synchronised per running tunnel, so a route change touches only that route.
 * A bad reload keeps the running tunnel: what a factory can tell before opening (an {@code mtu} the
 * underlay toward a remote cannot carry) rejects the reload before anything is closed
 * ({@link #check}); a changed tunnel whose new settings still fail to open is reopened with its old
 * ones and the reload reported failed ({@link ApplyFailure}). At start, a tunnel that fails to open
 * is logged and skipped: the others keep running. An L2 tunnel whose
 * remote list or static MACs changed is reopened like any other change (its learned MACs start
 * over); reordering them alone is no change ({@link TunnelConfig#sameSettings}).
 *
 * <p>IP forwarding: a tunnel with {@code forwarding = true} holds forwarding on for its device and
 * its {@code forwarding-interfaces} while it runs ({@link DeviceForwarding}: per device, IPv4 over
 * rtnetlink since the unit's ProtectKernelTunables=yes makes /proc/sys read-only); closing the
 * tunnel (stop, removal or change on reload) releases it and restores what was changed.
 */
public final class TunnelService implements Service {
    private TunnelMeters meters;
    private static final Logger LOG = Logger.getLogger(TunnelService.class.getName());

    /**
     * The tunnel families, tried in order. Register a new family here (one line per factory).
     */
    static List<TunnelFactory> standardFactories(RouteTable routes) {
        return List.of(
                new GreTunnelFactory(routes, true),
                new io.warren.gateway.l2.L2TunnelFactory());
    }

    private final Function<RouteTable, List<TunnelFactory>> factoryList;
    private final Supplier<LinkConfigurator> links;
    private final RouteTable routes = new RouteTable();
    private final Map<String, Running> running = new LinkedHashMap<>();
    private final DeviceForwarding forwarding;
    private List<TunnelFactory> factories;
    private Transports transports;
    private LinkConfigurator link;

    private record Running(TunnelConfig config, Tunnel tunnel, KernelRoutes kernelRoutes) {
    }

    /**
     * @param factoryList the factories, given the shared route table
     * @param links       opens the rtnetlink configurator for kernel routes
     */
    public TunnelService(Function<RouteTable, List<TunnelFactory>> factoryList, Supplier<LinkConfigurator> links) {
        this(factoryList, links, Ipv6Forwarding.procSys());
    }

    /** As above, with where IPv6 forwarding is read and written (tests). */
    TunnelService(Function<RouteTable, List<TunnelFactory>> factoryList, Supplier<LinkConfigurator> links,
                  Ipv6Forwarding ipv6) {
        this.factoryList = factoryList;
        this.links = links;
        this.forwarding = new DeviceForwarding(this::linkConfigurator, ipv6);
    }

    /** The production service: {@link #standardFactories}, rtnetlink. */
    public static TunnelService standard() {
        return new TunnelService(TunnelService::standardFactories, NetlinkLinkConfigurator::open);
    }

    @Override
    public String name() {
        return "tunnels";
    }

    /** The running tunnels by name. */
    public synchronized Map<String, Tunnel> tunnels() {
        Map<String, Tunnel> out = new LinkedHashMap<>();
        running.forEach((n, r) -> out.put(n, r.tunnel()));
        return out;
    }

    /** The gateway's route table (every configured route). */
    public RouteTable routes() {
        return routes;
    }

    @Override
    public synchronized void start(WarrenConfig config) {
        RoutePlan.sync(routes, config.routes());
        for (TunnelConfig tc : config.tunnels().values()) {
            open(tc);
        }
        syncKernelRoutes(config.routes());
    }

    /**
     * Refuses, before anything is closed, each tunnel the reload would (re)open that its factory
     * already knows cannot open here ({@link TunnelFactory#check}: e.g. an {@code mtu} the underlay
     * cannot carry). A tunnel that failed to open before and did not change is not checked again: it
     * only gets another try.
     */
    @Override
    public synchronized List<ReloadProblem> check(WarrenConfig next, ConfigDiff diff) {
        List<ReloadProblem> out = new ArrayList<>();
        for (TunnelConfig tc : next.tunnels().values()) {
            Running r = running.get(tc.name());
            boolean opens = r == null ? !diff.tunnels().unchanged().contains(tc.name()) : !r.config().sameSettings(tc);
            TunnelFactory f = opens ? factory(tc) : null;
            if (f != null) {
                for (TunnelFactory.Refusal refusal : f.check(tc)) {
                    out.add(new ReloadProblem(List.of("tunnel", tc.name(), refusal.key()), refusal.reason()));
                }
            }
        }
        return out;
    }

    /**
     * Brings the running tunnels to {@code next}, compared with what each one runs (not only with
     * {@code previous}: a tunnel kept on its old settings by a failed reload is changed by the next).
     * A changed tunnel is closed before it is reopened (its device name and socket registrations are
     * taken until then); when the new settings fail to open, the old ones are opened again and the
     * failure is thrown as an {@link ApplyFailure} after every other tunnel is applied.
     */
    @Override
    public synchronized void apply(WarrenConfig previous, WarrenConfig next, ConfigDiff diff) throws ApplyFailure {
        RoutePlan.sync(routes, next.routes());
        for (String name : List.copyOf(running.keySet())) {
            if (!next.tunnels().containsKey(name)) {
                closeTunnel(name);
            }
        }
        List<ReloadProblem> failed = new ArrayList<>();
        for (TunnelConfig tc : next.tunnels().values()) {
            Running r = running.get(tc.name());
            if (r != null && !r.config().sameSettings(tc)) {
                replace(r, tc).ifPresent(failed::add);
            } else if (r == null) {
                // New, or failed before (then it only gets another try: its failure was reported).
                Exception e = open(tc);
                if (e != null && !diff.tunnels().unchanged().contains(tc.name())) {
                    failed.add(new ReloadProblem(List.of("tunnel", tc.name()), "cannot open: " + e.getMessage()));
                }
            }
        }
        syncKernelRoutes(next.routes());
        if (!failed.isEmpty()) {
            throw new ApplyFailure(failed);
        }
    }

    /** Reopens {@code r} with {@code tc}, or on failure with its running settings again. */
    private Optional<ReloadProblem> replace(Running r, TunnelConfig tc) {
        String name = tc.name();
        LOG.info(name + ": tunnel settings changed; reopening");
        closeTunnel(name);
        Exception e = open(tc);
        if (e == null) {
            return Optional.empty();
        }
        Exception again = open(r.config());
        String kept = again == null ? "; the previous settings run again"
                : "; the previous settings did not reopen either (" + again.getMessage() + "): the tunnel is down";
        LOG.severe(name + ": new settings not applied" + kept);
        return Optional.of(new ReloadProblem(List.of("tunnel", name),
                "cannot open with the new settings: " + e.getMessage() + kept));
    }

    private TunnelFactory factory(TunnelConfig tc) {
        return factories().stream().filter(x -> x.supports(tc)).findFirst().orElse(null);
    }

    /** Opens {@code tc}; null when it runs (or has no implementation, logged), else the failure (logged). */
    private Exception open(TunnelConfig tc) {
        TunnelFactory f = factory(tc);
        if (f == null) {
            LOG.warning(tc.name() + ": no tunnel implementation for type " + tc.type().configName()
                    + (tc.layer2() ? " (L2)" : " (L3)") + (tc.encryptedVia().isPresent() ? " inside WireGuard" : "")
                    + "; not started");
            return null;
        }
        try {
            if (transports == null) {
                transports = Transports.create(1);
            }
            Tunnel t = f.open(tc, new TunnelContext(transports));
            KernelRoutes kr = new KernelRoutes(linkConfigurator(), tc.name(), IpAddresses.parse(tc.remote()).orElse(null));
            running.put(tc.name(), new Running(tc, t, kr));
            forwarding.acquire(tc.name(), tc.forwarding().devices(tc.name()));
            if (meters != null) {
                meters.register(t);
            }
            return null;
        } catch (Exception e) {
            LOG.log(Level.SEVERE, tc.name() + ": cannot open the tunnel: " + e.getMessage(), e);
            return e;
        }
    }

    private void syncKernelRoutes(List<RouteConfig> all) {
        for (Running r : running.values()) {
            if (!r.config().layer2()) {
                r.kernelRoutes().sync(RoutePlan.kernelRoutes(r.config().name(), all));
            }
        }
    }

    private void closeTunnel(String name) {
        Running r = running.remove(name);
        if (r == null) {
            return;
        }
        if (meters != null) {
            meters.unregister(name);
        }
        try {
            forwarding.release(name);
            r.kernelRoutes().clear();
            r.tunnel().close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + ": closing", e);
        }
    }

    /** Registers every tunnel's meters from now on (the daemon's registry). */
    public synchronized void meters(TunnelMeters tunnelMeters) {
        this.meters = tunnelMeters;
        running.values().forEach(r -> tunnelMeters.register(r.tunnel()));
    }

    private List<TunnelFactory> factories() {
        if (factories == null) {
            factories = factoryList.apply(routes);
        }
        return factories;
    }

    private LinkConfigurator linkConfigurator() {
        if (link == null) {
            link = links.get();
        }
        return link;
    }

    @Override
    public synchronized void close() {
        for (String name : List.copyOf(running.keySet())) {
            closeTunnel(name);
        }
        if (link != null) {
            link.close();
            link = null;
        }
        if (transports != null) {
            transports.close();
            transports = null;
        }
    }
}
