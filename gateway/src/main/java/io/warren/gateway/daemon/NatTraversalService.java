package io.warren.gateway.daemon;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.Endpoint;
import io.warren.gateway.config.NatTraversalConfig;
import io.warren.gateway.config.PeerConfig;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.config.WgKey;
import io.warren.gateway.control.meters.MeterGroup;
import io.warren.gateway.config.InterfaceConfig;
import io.warren.gateway.nat.CoordCounters;
import io.warren.gateway.nat.CoordDropReason;
import io.warren.gateway.nat.CoordinationAgent;
import io.warren.gateway.nat.EndpointRefresh;
import io.warren.gateway.nat.HubCoordinator;
import io.warren.gateway.nat.PeerPath;
import io.warren.gateway.nat.SpokeCoordinator;
import io.warren.gateway.uapi.UapiKey;
import java.net.Inet4Address;
import io.warren.gateway.nat.MappingBehaviour;
import io.warren.gateway.nat.StunAgent;
import io.warren.gateway.nat.StunDropReason;
import io.warren.gateway.transport.WgPeer;
import io.warren.gateway.transport.WireGuardInterface;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * NAT traversal for the running WireGuard interfaces, on one timer thread ({@code warren-nat}):
 * endpoint host names are resolved again ({@link EndpointRefresh}: every 5 min, and every 30 s
 * while a peer has been quiet for 135 s) and applied through
 * {@link RunningInterface#reresolve}, which keeps sessions; with {@code [nat-traversal]
 * stun-servers} each interface learns its server-reflexive address and NAT mapping behaviour from
 * its own WireGuard port ({@link StunAgent}); a hub ({@code [nat-traversal] hub = true}) introduces
 * its Warren spokes to each other and a spoke (a peer with {@code hub = true}) punches holes to the
 * spokes it is introduced to, falling back to the hub ({@link CoordinationAgent}). Persistent
 * keepalive itself is the protocol core's.
 *
 * <p>Meters per interface: {@code warren_nat_stun_requests_total}, {@code
 * warren_nat_stun_responses_total}, {@code warren_nat_stun_dropped_total{reason}}, {@code
 * warren_nat_mapping{behaviour}} (1 for the current one) and {@code
 * warren_nat_reflexive{address}} (1, the current server-reflexive address); with hole punching
 * {@code warren_nat_coordination_{accepted,sent,dropped{reason}}_total} and {@code
 * warren_nat_spokes{path}} (introduced spokes by path; per-peer paths are in {@code
 * warren_peer_path}).
 */
public final class NatTraversalService implements Service {
    private static final Logger LOG = Logger.getLogger(NatTraversalService.class.getName());
    private static final long TICK_MILLIS = 100;
    private static final long RESOLVE_EVERY_TICKS = 10;

    /** Intervals; tests shorten them. */
    public record Settings(long stunRoundNanos, long refreshPeriodNanos, long quietNanos, long quietRetryNanos,
                           long introduceEveryNanos, SpokeCoordinator.Timing spokeTiming) {
        public static final Settings STANDARD = new Settings(TimeUnit.SECONDS.toNanos(60),
                EndpointRefresh.PERIOD_NANOS, EndpointRefresh.QUIET_NANOS, EndpointRefresh.QUIET_RETRY_NANOS,
                TimeUnit.SECONDS.toNanos(5), SpokeCoordinator.Timing.STANDARD);
    }

    private final WireGuardService wireguard;
    private final MeterRegistry registry;
    private final Function<String, Optional<InetAddress>> resolver;
    private final Settings settings;
    private final LongSupplier clock = System::nanoTime;
    private final SecureRandom random = new SecureRandom();
    private final EndpointRefresh<String> refresh;
    private final Map<WireGuardInterface, Agent> agents = new HashMap<>();
    private final Map<WireGuardInterface, Coordination> coordination = new HashMap<>();
    private ScheduledExecutorService timer;
    private volatile NatTraversalConfig nat = NatTraversalConfig.DEFAULT;
    private long ticks;
    private NatTraversalConfig stunFor;
    private List<InetSocketAddress> stunServers = List.of();

    private static final class Agent {
        final StunAgent stun;
        final MeterGroup meters;
        MeterGroup reflexive;
        InetSocketAddress shown;

        Agent(StunAgent stun, MeterGroup meters) {
            this.stun = stun;
            this.meters = meters;
        }
    }

    private record Coordination(CoordinationAgent agent, MeterGroup meters, NatTraversalConfig forConfig,
                                InterfaceConfig forInterface) {
    }

    public NatTraversalService(WireGuardService wireguard, MeterRegistry registry,
                               Function<String, Optional<InetAddress>> resolver, Settings settings) {
        this.wireguard = wireguard;
        this.registry = registry;
        this.resolver = resolver;
        this.settings = settings;
        this.refresh = new EndpointRefresh<>(settings.refreshPeriodNanos(), settings.quietNanos(),
                settings.quietRetryNanos());
    }

    /** The production service: the system resolver, standard intervals. */
    public static NatTraversalService standard(WireGuardService wireguard, MeterRegistry registry) {
        return new NatTraversalService(wireguard, registry, InterfaceStates::lookup, Settings.STANDARD);
    }

    @Override
    public String name() {
        return "nat-traversal";
    }

    @Override
    public void start(WarrenConfig config) {
        nat = config.natTraversal();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warren-nat");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void apply(WarrenConfig previous, WarrenConfig next, ConfigDiff diff) {
        NatTraversalConfig before = nat;
        nat = next.natTraversal();
        if (!before.equals(nat) && timer != null) {
            timer.execute(this::closeAgents); // rebuilt with the new servers on the next tick
        }
    }

    /** The STUN view of each interface by name, for status and tests. */
    public synchronized Map<String, StunAgent> stun() {
        Map<String, StunAgent> out = new HashMap<>();
        agents.forEach((wg, a) -> out.put(wg.name(), a.stun));
        return out;
    }

    private synchronized void tick() {
        try {
            Map<String, RunningInterface> running = wireguard.interfaces();
            syncAgents(running);
            for (Agent a : agents.values()) {
                a.stun.tick();
                showReflexive(a);
            }
            syncCoordination(running);
            for (Coordination c : coordination.values()) {
                c.agent().tick();
            }
            if (ticks++ % RESOLVE_EVERY_TICKS == 0) {
                reresolve(running);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "nat-traversal tick failed", e);
        }
    }

    // ---- endpoint re-resolution ------------------------------------------------------------------

    private void reresolve(Map<String, RunningInterface> running) {
        long now = clock.getAsLong();
        long wallNow = wallNanos();
        Set<String> seen = new HashSet<>();
        for (RunningInterface ri : running.values()) {
            Map<WgKey, WgPeer> live = new HashMap<>();
            for (WgPeer p : ri.wireGuard().peers()) {
                live.put(WgKey.of(p.publicKey().bytes()), p);
            }
            Set<String> due = new LinkedHashSet<>();
            for (PeerConfig pc : ri.config().peers()) {
                Optional<Endpoint> ep = pc.endpoint().filter(e -> !e.isLiteral());
                if (ep.isEmpty()) {
                    continue;
                }
                String key = ri.name() + "/" + pc.publicKey().toBase64();
                seen.add(key);
                WgPeer p = live.get(pc.publicKey());
                long hsWall = p == null ? 0 : p.lastHandshakeWallNanos();
                if (refresh.due(key, now, hsWall != 0, now - (wallNow - hsWall))) {
                    refresh.resolved(key, now);
                    due.add(ep.get().host());
                }
            }
            if (!due.isEmpty()) {
                try {
                    ri.reresolve(due, resolver);
                } catch (java.io.IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, ri.name() + ": applying re-resolved endpoints: " + e.getMessage());
                }
            }
        }
        refresh.retain(seen);
    }

    // ---- hole punching and relay ----------------------------------------------------------------

    /** The hole-punching agent of each interface by name (hubs and spokes only), for status and tests. */
    public synchronized Map<String, CoordinationAgent> coordination() {
        Map<String, CoordinationAgent> out = new HashMap<>();
        coordination.forEach((wg, c) -> out.put(wg.name(), c.agent()));
        return out;
    }

    private void syncCoordination(Map<String, RunningInterface> running) {
        NatTraversalConfig current = nat;
        Map<WireGuardInterface, RunningInterface> live = new HashMap<>();
        for (RunningInterface ri : running.values()) {
            live.put(ri.wireGuard(), ri);
        }
        coordination.entrySet().removeIf(e -> {
            RunningInterface ri = live.get(e.getKey());
            Coordination c = e.getValue();
            if (ri == null || c.forConfig() != current || !c.forInterface().equals(ri.config())) {
                c.agent().close();
                c.meters().close();
                return true;
            }
            return false;
        });
        for (RunningInterface ri : live.values()) {
            if (!coordination.containsKey(ri.wireGuard())) {
                newCoordination(ri, current).ifPresent(c -> coordination.put(ri.wireGuard(), c));
            }
        }
    }

    private Optional<Coordination> newCoordination(RunningInterface ri, NatTraversalConfig current) {
        InterfaceConfig ic = ri.config();
        Set<UapiKey> hubs = new HashSet<>();
        for (PeerConfig pc : ic.peers()) {
            if (pc.hub()) {
                hubs.add(UapiKey.of(pc.publicKey().toBytes()));
            }
        }
        if (!current.hub() && hubs.isEmpty()) {
            return Optional.empty();
        }
        Optional<Inet4Address> address = ic.addresses().stream().map(a -> a.address())
                .filter(a -> a instanceof Inet4Address).map(a -> (Inet4Address) a).findFirst();
        if (address.isEmpty()) {
            LOG.warning(ic.name() + ": hole punching needs an IPv4 tunnel address; not coordinating");
            return Optional.empty();
        }
        long micros = wallNanos() / 1000;
        CoordCounters counters = new CoordCounters();
        HubCoordinator hub = current.hub()
                ? new HubCoordinator(micros, settings.introduceEveryNanos(), 6 * settings.spokeTiming().helloEvery(), counters)
                : null;
        SpokeCoordinator spoke = hubs.isEmpty() ? null
                : new SpokeCoordinator(UapiKey.of(ic.publicKey().toBytes()), hubs, micros, settings.spokeTiming(), counters);
        CoordinationAgent agent = new CoordinationAgent(ri.wireGuard(), address.get(), ri::configuredState, clock,
                hub, spoke, hubs, counters);
        MeterGroup g = new MeterGroup(registry, Tags.of("interface", ic.name()));
        g.counter("warren.nat.coordination.accepted", "Hub coordination messages accepted", null, Tags.empty(),
                counters, CoordCounters::accepted);
        g.counter("warren.nat.coordination.sent", "Hub coordination messages sent", null, Tags.empty(),
                counters, CoordCounters::sent);
        for (CoordDropReason r : CoordDropReason.values()) {
            g.counter("warren.nat.coordination.dropped", "Hub coordination messages ignored, by reason", null,
                    Tags.of("reason", r.name().toLowerCase(Locale.ROOT)), counters, c -> c.dropped(r));
        }
        for (PeerPath path : PeerPath.values()) {
            g.gauge("warren.nat.spokes", "Spokes the hub introduced, by current path", null,
                    Tags.of("path", path.label()), agent, a -> a.remotes().stream().filter(r -> r.path() == path).count());
        }
        LOG.info(ic.name() + ": hole punching as " + (hub != null && spoke != null ? "hub and spoke"
                : hub != null ? "hub" : "spoke"));
        return Optional.of(new Coordination(agent, g, current, ic));
    }

    // ---- STUN ----------------------------------------------------------------------------------

    private void syncAgents(Map<String, RunningInterface> running) {
        List<InetSocketAddress> servers = stunServers();
        Set<WireGuardInterface> live = new HashSet<>();
        for (RunningInterface ri : running.values()) {
            live.add(ri.wireGuard());
        }
        agents.entrySet().removeIf(e -> {
            if (!live.contains(e.getKey()) || servers.isEmpty()) {
                close(e.getValue());
                return true;
            }
            return false;
        });
        if (servers.isEmpty()) {
            return;
        }
        for (WireGuardInterface wg : live) {
            agents.computeIfAbsent(wg, w -> newAgent(w, servers));
        }
    }

    /** The configured STUN servers, resolved once per configuration. */
    private List<InetSocketAddress> stunServers() {
        NatTraversalConfig current = nat;
        if (current == stunFor) {
            return stunServers;
        }
        stunFor = current;
        List<InetSocketAddress> out = new ArrayList<>();
        for (Endpoint e : current.stunServers()) {
            resolver.apply(e.host()).ifPresent(a -> out.add(new InetSocketAddress(a, e.port())));
        }
        stunServers = List.copyOf(out);
        return stunServers;
    }

    private Agent newAgent(WireGuardInterface wg, List<InetSocketAddress> servers) {
        StunAgent stun = new StunAgent(wg, servers, random, clock, settings.stunRoundNanos());
        MeterGroup g = new MeterGroup(registry, Tags.of("interface", wg.name()));
        g.counter("warren.nat.stun.requests", "STUN Binding requests sent from the WireGuard port", null,
                Tags.empty(), stun, s -> s.counters().requests());
        g.counter("warren.nat.stun.responses", "STUN Binding responses accepted", null,
                Tags.empty(), stun, s -> s.counters().responses());
        for (StunDropReason r : StunDropReason.values()) {
            g.counter("warren.nat.stun.dropped", "STUN datagrams ignored, by reason", null,
                    Tags.of("reason", r.name().toLowerCase(Locale.ROOT)), stun, s -> s.counters().dropped(r));
        }
        for (MappingBehaviour b : MappingBehaviour.values()) {
            g.gauge("warren.nat.mapping", "NAT mapping behaviour of the WireGuard port (1 for the current one)",
                    null, Tags.of("behaviour", b.name().toLowerCase(Locale.ROOT)), stun,
                    s -> s.behaviour() == b ? 1 : 0);
        }
        return new Agent(stun, g);
    }

    private void showReflexive(Agent a) {
        InetSocketAddress now = a.stun.reflexive().orElse(null);
        if (java.util.Objects.equals(now, a.shown)) {
            return;
        }
        a.shown = now;
        if (a.reflexive != null) {
            a.reflexive.close();
            a.reflexive = null;
        }
        if (now != null) {
            String text = now.getAddress().getHostAddress() + ":" + now.getPort();
            a.reflexive = new MeterGroup(registry, Tags.of("interface", a.stun.wireGuard().name()))
                    .gauge("warren.nat.reflexive", "Server-reflexive address of the WireGuard port (STUN)", null,
                            Tags.of("address", text), a, x -> 1);
            LOG.info(a.stun.wireGuard().name() + ": server-reflexive address " + text + ", mapping "
                    + a.stun.behaviour().name().toLowerCase(Locale.ROOT));
        }
    }

    private static void close(Agent a) {
        a.stun.close();
        a.meters.close();
        if (a.reflexive != null) {
            a.reflexive.close();
        }
    }

    private synchronized void closeAgents() {
        agents.values().forEach(NatTraversalService::close);
        agents.clear();
        coordination.values().forEach(c -> {
            c.agent().close();
            c.meters().close();
        });
        coordination.clear();
    }

    private static long wallNanos() {
        java.time.Instant i = java.time.Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
        closeAgents();
    }
}
