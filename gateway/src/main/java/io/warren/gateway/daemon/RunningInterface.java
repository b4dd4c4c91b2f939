package io.warren.gateway.daemon;

import io.warren.gateway.config.InterfaceConfig;
import io.warren.gateway.config.IpPrefix;
import io.warren.gateway.config.PeerConfig;
import io.warren.gateway.transport.Transports;
import io.warren.gateway.transport.WireGuardInterface;
import io.warren.gateway.transport.WireGuardUapiDevice;
import io.warren.gateway.uapi.DeviceState;
import io.warren.gateway.uapi.UapiServer;
import io.warren.tun.MultiQueueTun;
import io.warren.tun.TunDevice;
import io.warren.tun.link.LinkConfigurator;
import io.warren.tun.link.NetlinkLinkConfigurator;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One configured WireGuard interface while it runs: the TUN device with its MTU, addresses and the
 * kernel routes for the peers' allowed IPs (as wg-quick installs them), the {@link
 * WireGuardInterface} and its UAPI socket for the {@code wg} tool.
 */
public final class RunningInterface implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RunningInterface.class.getName());

    private final WireGuardInterface iface;
    private final LinkConfigurator link;
    private final UapiServer uapi;
    private final Set<IpPrefix> routes = new LinkedHashSet<>();
    /** The address each endpoint host name resolved to last (guarded by this). */
    private final Map<String, InetAddress> resolved = new HashMap<>();
    /** The state last reconciled from the configuration (resolved endpoints), without NAT overlays. */
    private volatile DeviceState configured = DeviceState.EMPTY;
    private volatile UnaryOperator<DeviceState> overlay = UnaryOperator.identity();
    private volatile InterfaceConfig config;

    private RunningInterface(InterfaceConfig config, WireGuardInterface iface, LinkConfigurator link, UapiServer uapi) {
        this.config = config;
        this.iface = iface;
        this.link = link;
        this.uapi = uapi;
    }

    /** Creates the TUN device, configures the link, starts the interface and its UAPI socket. */
    public static RunningInterface open(InterfaceConfig ic, Transports transports) throws IOException {
        return open(ic, transports, System::nanoTime);
    }

    /** As above with the protocol timers' clock (tests speed it up). */
    public static RunningInterface open(InterfaceConfig ic, Transports transports, LongSupplier clock)
            throws IOException {
        AutoCloseable device;
        List<TunDevice> queues;
        if (ic.queues() > 1) {
            MultiQueueTun mq = io.warren.tun.OffloadedTun.openMultiQueue(ic.name(), ic.queues());
            device = mq;
            queues = mq.queues();
        } else {
            TunDevice tun = openTun(ic.name());
            device = tun;
            queues = List.of(tun);
        }
        LinkConfigurator link = null;
        WireGuardInterface iface = null;
        UapiServer uapi = null;
        try {
            link = NetlinkLinkConfigurator.open();
            link.setMtu(ic.name(), ic.mtu());
            for (IpPrefix a : ic.addresses()) {
                link.addAddress(ic.name(), a.address(), a.length());
            }
            link.setUp(ic.name());
            iface = new WireGuardInterface(ic.name(), queues, device, ic.mtu(), transports, clock);
            Map<String, InetAddress> first = new HashMap<>();
            DeviceState initial = InterfaceStates.of(ic, recording(InterfaceStates::lookup, first));
            iface.reconcile(initial);
            iface.start();
            uapi = UapiServer.start(UapiServer.Config.defaults(ic.name()), new WireGuardUapiDevice(iface));
            RunningInterface ri = new RunningInterface(ic, iface, link, uapi);
            ri.resolved.putAll(first);
            ri.configured = initial;
            ri.syncRoutes(ic);
            LOG.info(ic.name() + ": up, UDP port " + iface.listenPort() + ", " + ic.peers().size() + " peers, "
                    + queues.size() + (queues.size() == 1 ? " TUN queue" : " TUN queues"));
            return ri;
        } catch (IOException | RuntimeException e) {
            if (uapi != null) {
                uapi.close();
            }
            if (iface != null) {
                iface.close();
            } else {
                closeQuietly(device);
            }
            if (link != null) {
                link.close();
            }
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable device) {
        try {
            device.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "closing a TUN device failed", e);
        }
    }

    /**
     * The TUN device with the offloads that make the data path fast (a TCP super-packet per read,
     * see {@link io.warren.tun.OffloadedTun#FULL}); a kernel without UDP segmentation offload (before
     * 6.2) gets TCP offloads only, and one that refuses those a plain device.
     */
    static TunDevice openTun(String name) throws IOException {
        return io.warren.tun.OffloadedTun.open(name);
    }

    public String name() {
        return config.name();
    }

    public WireGuardInterface wireGuard() {
        return iface;
    }

    /** True when {@code want} differs in what needs a new device: MTU, addresses or TUN queues. */
    boolean needsRestart(InterfaceConfig want) {
        return want.mtu() != config.mtu() || !want.addresses().equals(config.addresses())
                || want.queues() != config.queues();
    }

    /**
     * The state last reconciled from the configuration, endpoint host names as last resolved: the
     * base that NAT traversal overlays with its dynamic peers (no lookups here).
     */
    public DeviceState configuredState() {
        return configured;
    }

    /**
     * Sets (null: removes) what NAT traversal adds to the configured state (its dynamic peers), so
     * that a reload or a re-resolution reconciles the interface without dropping them and their
     * sessions. Called from the NAT thread; applied on the reloading thread.
     */
    public void overlay(UnaryOperator<DeviceState> o) {
        overlay = o == null ? UnaryOperator.identity() : o;
    }

    /** The configuration this interface runs with now. */
    public synchronized InterfaceConfig config() {
        return config;
    }

    /** Applies a reload that keeps the device: keys, port, peers, routes (host names resolved afresh). */
    synchronized void update(InterfaceConfig want) throws IOException {
        resolved.clear();
        DeviceState state = InterfaceStates.of(want, recording(InterfaceStates::lookup, resolved));
        iface.reconcile(overlay.apply(state));
        configured = state;
        syncRoutes(want);
        config = want;
    }

    /**
     * Resolves the endpoint host names {@code hosts} again with {@code resolver} (blocking) and,
     * when an address changed, reconciles the interface: only the endpoints of those peers change
     * and their sessions are kept (a peer that roamed meanwhile follows the new address until it
     * sends again). Other host names keep their previous answer.
     *
     * @return the host names whose address changed
     */
    public synchronized Set<String> reresolve(Set<String> hosts, Function<String, Optional<InetAddress>> resolver)
            throws IOException {
        Set<String> changed = new LinkedHashSet<>();
        for (String host : hosts) {
            Optional<InetAddress> now = resolver.apply(host);
            if (now.isPresent() && !now.get().equals(resolved.get(host))) {
                resolved.put(host, now.get());
                changed.add(host);
            }
        }
        if (!changed.isEmpty()) {
            LOG.info(name() + ": endpoint host names resolved to new addresses: " + changed);
            Map<String, InetAddress> known = Map.copyOf(resolved);
            DeviceState state = InterfaceStates.of(config, h -> Optional.ofNullable(known.get(h))
                    .or(() -> InterfaceStates.lookup(h)));
            iface.reconcile(overlay.apply(state));
            configured = state;
        }
        return changed;
    }

    private static InterfaceStates.Resolver recording(InterfaceStates.Resolver r, Map<String, InetAddress> into) {
        return host -> {
            Optional<InetAddress> a = r.resolve(host);
            a.ifPresent(x -> into.put(host, x));
            return a;
        };
    }

    /**
     * Kernel routes to this device for every peer prefix that the interface's own addresses do not
     * already cover (those are on-link). Default routes are not installed: they need policy routing.
     */
    private void syncRoutes(InterfaceConfig want) {
        Set<IpPrefix> wanted = new LinkedHashSet<>();
        for (PeerConfig p : want.peers()) {
            for (IpPrefix prefix : p.allowedIps()) {
                if (prefix.length() == 0) {
                    LOG.warning(want.name() + ": " + p.label() + ": no kernel route for " + prefix
                            + " (a default route through the tunnel needs policy routing; add it yourself)");
                } else if (want.addresses().stream().noneMatch(a -> a.network().contains(prefix))) {
                    wanted.add(prefix.network());
                }
            }
        }
        for (IpPrefix old : Set.copyOf(routes)) {
            if (!wanted.contains(old)) {
                try {
                    link.removeRoute(old.address(), old.length(), want.name(), 0);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, want.name() + ": removing route " + old + ": " + e.getMessage());
                }
                routes.remove(old);
            }
        }
        for (IpPrefix p : wanted) {
            if (routes.contains(p)) {
                continue;
            }
            try {
                link.addRoute(p.address(), p.length(), want.name(), 0);
                routes.add(p);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, want.name() + ": route " + p + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        try {
            uapi.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, name() + ": closing the UAPI socket", e);
        }
        iface.close();
        link.close();
    }
}
